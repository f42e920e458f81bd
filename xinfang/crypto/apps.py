from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class CryptoConfig(AppConfig):
    name = "xinfang.crypto"
    verbose_name = "字段加密"

    def ready(self) -> None:
        from .fields import active_keyring
        from .keys import KeyConfigError

        # No key, no start: personal data must never be written in clear (等保 2.0, GM/T 0054).
        try:
            active_keyring()
        except KeyConfigError as error:
            raise ImproperlyConfigured(str(error)) from None
