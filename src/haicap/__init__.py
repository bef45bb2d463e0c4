"""haicap: the platform for Vietnam's two-tier local government."""

__version__ = "0.1.0"
