"""Answering questions from the store: question parsing, answering, rendering, CLI."""
