"""Synthetic Chinese place names, drawn from fixed pools by a seeded generator.

Prefecture names are unique across the whole country because Prefecture.name
is: each is drawn once from one national pool. None of the pools' first
characters starts a name of the notice's prefectures (乌鲁木齐市 … 和田地区),
so a generated name can never be one of them; county names need only be
unique inside their prefecture.
"""

from itertools import product

from allocations.models import CountyKind

PROVINCE_FIRST = "东西南北中云嘉泰昭临平"
PROVINCE_SECOND = "岳陵原漠岭泽峡川关岛"

PREFECTURE_FIRST = "澜沅岷澄漓泸淮汾渭洮沣浔涪潇滦沂泗溧湍灵仪榆桐枫桦柏松梧棠芷萍荷苍碧翠丹紫雁鹤麟"
PREFECTURE_MIDDLE = "金银玉铜锦"
PREFECTURE_SECOND = "原川阳平宁安山江陵丰台源泉溪峰岭湾林石门州"

COUNTY_FIRST = "永长清泰丰宝明和广昌瑞庆德隆康盛临汉定兴福禄寿乐延靖怀化通远兆吉利顺"
COUNTY_SECOND = "安宁平阳山水川河城源溪桥口集坪沟堡营屯镇关池"

ZONES = ("高新区", "经开区", "工业园区", "综合保税区", "产业园区")


def _pool(*parts):
    return ["".join(chars) for chars in product(*parts)]


def province_names(rng, count):
    """[(name, stem)] for count provinces; a sixth are 自治区, the rest 省."""
    stems = rng.sample(_pool(PROVINCE_FIRST, PROVINCE_SECOND), count)
    names = []
    for index, stem in enumerate(stems):
        suffix = "自治区" if index % 6 == 5 else "省"
        names.append((stem + suffix, stem))
    return names


def prefecture_stems(rng, count):
    """count distinct two-character stems (three-character ones once those run out)."""
    short = _pool(PREFECTURE_FIRST, PREFECTURE_SECOND)
    if count <= len(short):
        return rng.sample(short, count)
    longer = _pool(PREFECTURE_FIRST, PREFECTURE_MIDDLE, PREFECTURE_SECOND)
    if count > len(short) + len(longer):
        raise ValueError(f"地州市名称最多 {len(short) + len(longer)} 个，要求 {count} 个")
    return short + rng.sample(longer, count - len(short))


def prefecture_name(rng, stem, autonomous):
    """市 mostly; 地区, 自治州 and (in an 自治区) 盟 now and then."""
    roll = rng.random()
    if roll < 0.8:
        return stem + "市"
    if roll < 0.88:
        return stem + "地区"
    if autonomous and roll < 0.94:
        return stem + "盟"
    return stem + "自治州"


def county_plan(rng, prefecture, size):
    """[(name, kind)] of size county-level units for one prefecture, names unique in it."""
    units = []
    if size >= 4 and rng.random() < 0.3:
        units.append((prefecture + "本级", CountyKind.OWN_LEVEL))
    if size >= 3 and rng.random() < 0.4:
        units.append((rng.choice(ZONES), CountyKind.ZONE))
    stems = rng.sample(_pool(COUNTY_FIRST, COUNTY_SECOND), size - len(units))
    for stem in stems:
        roll = rng.random()
        if roll < 0.3:
            units.append((stem + "区", CountyKind.DISTRICT))
        elif roll < 0.45:
            units.append((stem + "市", CountyKind.CITY))
        else:
            units.append((stem + "县", CountyKind.COUNTY))
    rng.shuffle(units)
    return units


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(number):
    """1..99 as written in a batch name: 第二批, 第十二批, 第二十批."""
    tens, ones = divmod(number, 10)
    if tens == 0:
        return CHINESE_DIGITS[ones]
    head = "" if tens == 1 else CHINESE_DIGITS[tens]
    return head + "十" + (CHINESE_DIGITS[ones] if ones else "")
