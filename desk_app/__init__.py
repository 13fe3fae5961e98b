"""The one-stop desk: intake, deadlines and returns for Vietnam's one-stop service desks."""

__version__ = "0.1.0"
