"""Pages a counter serves on the local network (issue 16): the applicant's rating page on a
phone or tablet paired with the counter, and the hall's queue pages. No PySide6 here."""
