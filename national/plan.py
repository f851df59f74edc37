"""What the national data set holds, decided from the options and the seed alone.

Everything here is plain Python (no database), so the same seed gives the
same names, sizes, dates and amounts whatever the database already holds.
Each part draws from its own generator (random.Random(f"{seed}:{part}")), so
changing one knob does not reshuffle what the others produce.

Sizes: by default about 330 prefectures and 2,900 county-level units over 31
provinces, varied per province and prefecture like the real ones; a knob
makes every province / prefecture exactly that size (the tests use them).
"""

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from allocations.models import CountyKind
from national import names

# A generated province's code and a generated document's 文号 say so: that is
# how --replace finds them, and nothing else is ever touched.
CODE_PREFIX = "N"
NUMBER_PREFIX = "国模〔"
PREFECTURE_POSITION = 1000
PROVINCE_POSITION = 100

DEFAULT_SEED = 20240607
DEFAULT_PROVINCES = 31
DEFAULT_YEARS = 5
# The years end the year before the notice's (2023): its year, its document
# and the dashboards built on "the latest issued document" stay as they were.
DEFAULT_FIRST_YEAR = 2018
DEFAULT_DOCUMENTS_PER_YEAR = 40
# Averages when no size knob is given: China has about 330 prefecture-level
# and 2,900 county-level divisions in 31 provinces.
AVERAGE_PREFECTURES = 330 / 31
AVERAGE_COUNTIES = 2900 / 330

# 万元 per county and unit of document weight, by kind of county.
BASE_AMOUNT = {
    CountyKind.COUNTY: (12, 40),
    CountyKind.DISTRICT: (8, 30),
    CountyKind.CITY: (15, 45),
    CountyKind.OWN_LEVEL: (20, 60),
    CountyKind.ZONE: (3, 12),
}


@dataclass
class County:
    name: str
    kind: str
    position: int
    base_cents: int  # the county's share of one unit of document weight


@dataclass
class Prefecture:
    name: str
    position: int
    province: int  # index into Plan.provinces
    counties: list = field(default_factory=list)


@dataclass
class Province:
    name: str
    code: str
    position: int


@dataclass
class Document:
    index: int
    year: int
    batch: int
    number: str
    title: str
    table_title: str
    basis: str
    issued_on: date
    weight: int  # in tenths: the document's size against the others


@dataclass
class Plan:
    seed: int
    first_year: int
    years: int
    provinces: list
    prefectures: list
    documents: list

    @property
    def last_year(self):
        return self.first_year + self.years - 1

    @property
    def county_count(self):
        return sum(len(p.counties) for p in self.prefectures)

    def months(self):
        for year in range(self.first_year, self.last_year + 1):
            for month in range(1, 13):
                yield date(year, month, 1)


def rng_for(seed, part):
    return random.Random(f"{seed}:{part}")


def spread(total, weights):
    """Split total into len(weights) parts ≥ 1, proportional to weights (largest remainders)."""
    count = len(weights)
    if total < count:
        total = count
    spare = total - count
    whole = sum(weights)
    shares = [spare * w / whole for w in weights]
    parts = [int(s) for s in shares]
    order = sorted(range(count), key=lambda i: (parts[i] - shares[i], i))
    for i in order[: spare - sum(parts)]:
        parts[i] += 1
    return [p + 1 for p in parts]


def _sizes(rng, count, fixed, average, low, high):
    if fixed:
        return [fixed] * count
    return spread(round(count * average), [rng.randint(low, high) for _ in range(count)])


def _geography(seed, province_count, prefectures_per_province, counties_per_prefecture):
    rng = rng_for(seed, "geography")
    provinces = []
    for index, (name, _stem) in enumerate(names.province_names(rng, province_count), start=1):
        provinces.append(Province(name, f"{CODE_PREFIX}{index:02d}", PROVINCE_POSITION + index))
    per_province = _sizes(rng, province_count, prefectures_per_province, AVERAGE_PREFECTURES, 4, 17)
    stems = names.prefecture_stems(rng, sum(per_province))
    prefectures = []
    for province_index, size in enumerate(per_province):
        autonomous = provinces[province_index].name.endswith("自治区")
        for _ in range(size):
            stem = stems[len(prefectures)]
            name = names.prefecture_name(rng, stem, autonomous)
            prefectures.append(Prefecture(name, PREFECTURE_POSITION + len(prefectures) + 1, province_index))
    per_prefecture = _sizes(rng, len(prefectures), counties_per_prefecture, AVERAGE_COUNTIES, 3, 15)
    for prefecture, size in zip(prefectures, per_prefecture):
        for position, (name, kind) in enumerate(names.county_plan(rng, prefecture.name, size), start=1):
            low, high = BASE_AMOUNT[kind]
            prefecture.counties.append(County(name, kind, position, rng.randint(low * 100, high * 100)))
    return provinces, prefectures


def _issue_dates(rng, year, count):
    """count dates through the year, in order, none on a weekend."""
    days = 366 if calendar.isleap(year) else 365
    found = []
    for batch in range(count):
        day = int((batch + 0.5) * days / count) + rng.randint(-3, 3)
        when = date(year, 1, 1) + timedelta(days=min(max(day, 3), days - 3))
        while when.weekday() >= 5:
            when -= timedelta(days=1)
        found.append(when)
    return sorted(found)


def _documents(seed, first_year, years, per_year):
    rng = rng_for(seed, "documents")
    documents = []
    for year in range(first_year, first_year + years):
        number = 0
        basis = 0
        for batch, issued_on in enumerate(_issue_dates(rng, year, per_year), start=1):
            number += rng.randint(1, 6)
            basis += rng.randint(1, 4)
            # The first batches carry most of the year's money, later ones are top-ups.
            weight = {1: 80, 2: 50}.get(batch, rng.randint(8, 30))
            batch_name = f"第{names.chinese_number(batch)}批"
            documents.append(
                Document(
                    index=len(documents),
                    year=year,
                    batch=batch,
                    number=f"{NUMBER_PREFIX}{year}〕{number}号",
                    title=f"关于下达{year}年中央财政就业补助资金（{batch_name}）预算的通知",
                    table_title=f"{year}年中央财政就业补助资金（{batch_name}）分配表",
                    basis=f"财社〔{year}〕{basis}号",
                    issued_on=issued_on,
                    weight=weight,
                )
            )
    return documents


def make_plan(seed=DEFAULT_SEED, provinces=DEFAULT_PROVINCES, years=DEFAULT_YEARS, first_year=DEFAULT_FIRST_YEAR,
              documents_per_year=DEFAULT_DOCUMENTS_PER_YEAR, prefectures_per_province=None, counties_per_prefecture=None):
    province_list, prefecture_list = _geography(seed, provinces, prefectures_per_province, counties_per_prefecture)
    documents = _documents(seed, first_year, years, documents_per_year)
    return Plan(seed, first_year, years, province_list, prefecture_list, documents)


def line_amounts(plan, document):
    """[[cents per county] per prefecture] for one document; never zero."""
    rng = rng_for(plan.seed, f"amounts:{document.index}")
    return [
        [max(1, county.base_cents * document.weight * rng.randint(85, 115) // 1000) for county in prefecture.counties]
        for prefecture in plan.prefectures
    ]


def money(cents):
    """Cents as the database reads a DecimalField with two places: 1234 -> '12.34'."""
    return f"{cents // 100}.{cents % 100:02d}"
