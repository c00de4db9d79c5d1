"""Stage 5-6: build each report's context and render it into a Word document."""
