"""Commands that write inputs: new, next year, Excel conversion, roll-up and imports."""
