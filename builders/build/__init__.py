"""Orchestration: one build from source to published artefacts, and the processes, batches and watching around it."""
