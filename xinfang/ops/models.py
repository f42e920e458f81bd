"""The ops app keeps no records of its own: health answers from the live process and database, backups are files."""
