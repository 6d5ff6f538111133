"""Question type implementations; use the registry in :mod:`question_bank.types`."""
