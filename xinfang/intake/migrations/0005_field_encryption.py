"""Personal data encrypted at rest (SM4-GCM) with blind indexes (HMAC-SM3); existing rows are encrypted here.

The key comes from XINFANG_FIELD_KEY (the crypto app refuses to start without it). The petition digest the event
chain covers is computed over the plaintext, so the chain verifies the same before and after.
"""

import importlib

from django.db import migrations

import xinfang.crypto.fields

MODELS = ("Petition", "Representative", "AccusedParty")


def _run(decrypting):
    def run(apps, schema_editor):
        from xinfang.crypto.fields import active_keyring
        from xinfang.crypto.rotation import reencrypt

        ring = active_keyring()
        for name in MODELS:
            reencrypt(apps.get_model("intake", name), ring, using=schema_editor.connection.alias, decrypting=decrypting)

    return run


def restore_search_triggers(apps, schema_editor):
    """SQLite rebuilds the table to alter its columns, which drops its FTS5 triggers: put them back (0003)."""
    importlib.import_module("xinfang.intake.migrations.0004_accusation").restore_search_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("intake", "0004_accusation")]

    operations = [
        # Reversed last: going back to 0004 rebuilds the table again.
        migrations.RunPython(migrations.RunPython.noop, restore_search_triggers),
        migrations.RemoveIndex(model_name="petition", name="intake_peti_id_numb_78e318_idx"),
        migrations.AddField(
            model_name="petition",
            name="contact_index",
            field=xinfang.crypto.fields.BlindIndexField(kind="phone", source="contact", verbose_name="联系电话索引"),
        ),
        migrations.AddField(
            model_name="petition",
            name="id_number_index",
            field=xinfang.crypto.fields.BlindIndexField(
                kind="id_number", source="id_number", verbose_name="证件号码索引"
            ),
        ),
        migrations.AlterField(
            model_name="accusedparty",
            name="person_name",
            field=xinfang.crypto.fields.EncryptedCharField(blank=True, max_length=50, verbose_name="被检举控告人"),
        ),
        migrations.AlterField(
            model_name="petition",
            name="address",
            field=xinfang.crypto.fields.EncryptedCharField(blank=True, max_length=200, verbose_name="住址"),
        ),
        migrations.AlterField(
            model_name="petition",
            name="contact",
            field=xinfang.crypto.fields.EncryptedCharField(blank=True, max_length=50, verbose_name="联系电话"),
        ),
        migrations.AlterField(
            model_name="petition",
            name="id_number",
            field=xinfang.crypto.fields.EncryptedCharField(blank=True, max_length=30, verbose_name="证件号码"),
        ),
        migrations.AlterField(
            model_name="representative",
            name="contact",
            field=xinfang.crypto.fields.EncryptedCharField(blank=True, max_length=50, verbose_name="联系电话"),
        ),
        migrations.AlterField(
            model_name="representative",
            name="id_number",
            field=xinfang.crypto.fields.EncryptedCharField(blank=True, max_length=30, verbose_name="证件号码"),
        ),
        migrations.RunPython(_run(decrypting=False), _run(decrypting=True)),
        migrations.RunPython(restore_search_triggers, migrations.RunPython.noop),
    ]
