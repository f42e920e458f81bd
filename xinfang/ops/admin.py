"""Nothing to administer: see the `backup` and `restore` commands."""
