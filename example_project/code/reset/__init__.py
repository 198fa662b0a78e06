"""The password-reset service of the example spec, small but real: its markers
(``@implements REQ-...``) tie each function to the requirement it implements."""
