"""The Qt Widgets shell: the only package that imports PySide6."""
