"""Plain-Python services: the application's work, testable without a display. No Qt here."""
