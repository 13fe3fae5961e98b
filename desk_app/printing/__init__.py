"""Printed forms and reports (ReportLab): plain data in, PDF out. No Qt."""
