"""Field encryption with SM4-GCM and blind indexes with HMAC-SM3 (GM/T 0002, GM/T 0004).

The core (``keys``, ``cipher``, ``blind``) imports nothing from Django; ``fields``, ``rotation`` and ``apps``
are the Django side: model fields that encrypt on the way to the database, the key check at start-up and the
re-encryption used by the data migration and ``manage.py rotate_field_key``.
"""
