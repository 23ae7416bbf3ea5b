"""The teaching layer: exercises and their answers (``checks``, ``data_questions``, ``answers``, the instructor's
``answer_key``), quizzes (``quiz``), the course map (``course``), reference lists (``references``) and the
prose check (``prose``). Teaching imports the evidence and view layers."""

from .answers import check_answer

__all__ = ["check_answer"]
