"""Pure rules: calendar, due dates, life cycle, codes, people, text folding. No Qt, no SQL."""
