"""The grade of a total score: 优 ≥ 90, 良 80–89.99, 中 60–79.99, 差 < 60."""

from decimal import Decimal

from evaluation.models import Grade

# Lowest score of each grade, best first.
THRESHOLDS = ((Decimal(90), Grade.EXCELLENT), (Decimal(80), Grade.GOOD), (Decimal(60), Grade.FAIR))


def grade_of(score):
    for floor, grade in THRESHOLDS:
        if score >= floor:
            return grade
    return Grade.POOR
