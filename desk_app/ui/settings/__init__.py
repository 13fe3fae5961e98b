"""The settings dialog: desk identity and hours, users, calendar, procedures, this computer."""

from desk_app.ui.settings.dialog import SettingsDialog

__all__ = ["SettingsDialog"]
