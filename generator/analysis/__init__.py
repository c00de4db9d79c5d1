"""Stage 3-4: compute every figure and score, then check the input and its texts."""
