"""National-scale synthetic data (generate_national_data): 31 provinces, ~330
prefectures, ~2,900 counties, years of allocation documents, monthly reports
and target tables, deterministic for a seed and loaded in bulk."""
