"""The vocabulary every layer may use: errors, the document model, text, confinement, time, the user cache."""
