"""Generate the geography below the towns: approximate areas, villages, hamlets.

No real village lists or town boundaries for Zhongshan are available (see
`reference/SOURCES.md`), so this module makes them up, deterministically and
openly: every row says `synthetic`, and the areas are called approximate
wherever they are stored. Plain Python (no Django); the synthetic population
(`equiserve.synth`) and the Django loader both import these functions.

Town areas. Voronoi cells of the 24 WGS-84 town centres, clipped to the convex
hull of the centres buffered by `HULL_BUFFER_KM` (5 km). The buffer was chosen by
comparing with the city's published outline (looked at, not shipped): with 5 km
the cells cover 1,729 km², close to the outline's 1,821 km², while the area
where the two disagree stays near its smallest (3 km: 558 km² but only 1,410 km²
covered; 4 km: 551; 5 km: 604; 6 km: 678). Distances are computed in a local
equirectangular projection centred on 22.5° N, accurate to well under 1 % over
the city. The cells are rough: a town's real area is not the region nearest its
centre point, and some source centres are government seats near a boundary.

Villages. Administrative villages (行政村) and communities (社区) get 12-digit
codes following the NBS rule for the last three digits (communities 001–199,
villages 200–399), so `4420001002xx` is a village of 小榄镇. Counts: the three
units whose 2020 community counts are known get exactly those communities and
no villages (小榄 15, 石岐 19, 西区 9; the sources mention no villages there).
Every other unit gets an illustrative total of round(2000-census population /
7,000), between 6 and 28, split 70 % communities in a subdistrict and 20 % (at
least one) in a town. The real lists are kept by the civil affairs bureau
(中山市民政局); these counts are not theirs.

Positions are drawn inside the town's area: communities near the town centre,
villages spread over the whole area (best-candidate sampling, so they do not
pile up). Population weights (each town's sum to 1.0) are lognormal draws,
communities 2.5 times heavier than villages on average: illustrative.

Natural villages (自然村): 2–8 per administrative village, none under
communities, within about a kilometre of their village, inside the town area.
"""

import math
from functools import cache

import numpy as np
import polars as pl
import shapely
from shapely.geometry import MultiPoint, Polygon
from shapely.geometry.base import BaseGeometry

from equiserve.geography.reference import towns_frame

SEED = 20140101  # fixed: the synthetic geography is part of the reference data
HULL_BUFFER_KM = 5.0
PEOPLE_PER_UNIT = 7000  # illustrative: one village or community per 7,000 people
MIN_UNITS, MAX_UNITS = 6, 28
COMMUNITY_SHARE = {"subdistrict": 0.7, "town": 0.2}

# Community counts seen in 2020 sources (reference/SOURCES.md, "Towns and
# geography"); these units get exactly these communities and no villages.
KNOWN_COMMUNITIES = {
    "442000100": (15, "2020 count: https://en.wikipedia.org/wiki/Xiaolan"),
    "442000001": (
        19,
        "2020 count: http://theinfolist.com/html/ALL/s/S/Shiqi_District.html",
    ),
    "442000004": (
        9,
        "2020 count: https://iiab.me/kiwix/content/wikipedia_en_all_maxi_2023-10"
        "/A/Xiqu%2C_Zhongshan",
    ),
}

_LAT0 = 22.5  # centre of the local projection, degrees north
_KM_PER_DEG_LAT = math.pi / 180.0 * 6371.0088
_KM_PER_DEG_LON = _KM_PER_DEG_LAT * math.cos(math.radians(_LAT0))
_DECIMALS = 6  # about 0.1 m

# Syllables common in Pearl River Delta place names, with pinyin. Names are
# generated from them and may coincide with real places by chance only.
_FIRST = (
    "沙sha 涌chong 岗gang 塘tang 洲zhou 田tian 江jiang 石shi 南nan 北bei 东dong "
    "西xi 新xin 大da 小xiao 上shang 下xia 龙long 凤feng 安an 平ping 和he 兴xing "
    "隆long 福fu 永yong 长chang 乐le 宝bao 丰feng 联lian 群qun 裕yu 同tong 庆qing "
    "华hua 海hai 桥qiao 横heng 竹zhu 莲lian 桂gui 茶cha 鹤he 马ma 白bai 青qing "
    "黄huang 金jin 合he 康kang 吉ji 瑞rui 泰tai 恒heng 荣rong 仁ren 德de 胜sheng "
    "光guang 明ming 富fu 益yi 宁ning"
)
_SECOND = (
    "边bian 头tou 尾wei 口kou 岗gang 围wei 涌chong 沙sha 洲zhou 塘tang 基ji 田tian "
    "坑keng 湾wan 冲chong 溪xi 埔pu 墩dun 角jiao 环huan 安an 兴xing 丰feng 和he "
    "平ping 乐le 华hua 盛sheng 新xin 联lian 龙long 庆qing 源yuan 山shan 岭ling "
    "林lin 园yuan 美mei 福fu 隆long 昌chang 顺shun 富fu 宁ning"
)
_HAMLET_SUFFIXES = (("村", "cun"), ("围", "wei"), ("坊", "fang"), ("里", "li"))


def _syllables(text: str) -> list[tuple[str, str]]:
    return [(item[0], item[1:]) for item in text.split()]


FIRST_SYLLABLES = _syllables(_FIRST)
SECOND_SYLLABLES = _syllables(_SECOND)


def _to_km(lon, lat):
    return np.asarray(lon) * _KM_PER_DEG_LON, np.asarray(lat) * _KM_PER_DEG_LAT


def _to_deg(x, y):
    return np.asarray(x) / _KM_PER_DEG_LON, np.asarray(y) / _KM_PER_DEG_LAT


def _geometry_to_deg(geometry: BaseGeometry) -> BaseGeometry:
    def transform(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(_to_deg(coords[:, 0], coords[:, 1]))

    return shapely.transform(geometry, transform)


@cache
def _areas() -> tuple[tuple[str, Polygon], ...]:
    towns = towns_frame()
    x, y = _to_km(towns["center_lon_wgs84"].to_numpy(), towns["center_lat_wgs84"])
    centres = MultiPoint(np.column_stack([x, y]))
    hull = centres.convex_hull.buffer(HULL_BUFFER_KM, quad_segs=16)
    cells = shapely.voronoi_polygons(centres, extend_to=hull, ordered=True)
    areas = []
    for code, cell in zip(towns["code_9"], cells.geoms, strict=True):
        area = _geometry_to_deg(cell.intersection(hull))
        area = shapely.set_precision(area, 10.0**-_DECIMALS)
        areas.append((code, area))
    return tuple(areas)


def town_areas() -> dict[str, BaseGeometry]:
    """Return each town's approximate area (WGS-84 polygon), keyed by 9-digit code.

    Voronoi cells of the town centres clipped to their convex hull buffered by
    5 km; see the module docstring for why 5 km and how rough this is.
    """
    return dict(_areas())


def unit_counts() -> pl.DataFrame:
    """Return, per town, how many communities and villages are generated and why."""
    rows = []
    for town in towns_frame().iter_rows(named=True):
        code = town["code_9"]
        if code in KNOWN_COMMUNITIES:
            communities, basis = KNOWN_COMMUNITIES[code]
            villages = 0
        else:
            total = round(town["pop_2000_census"] / PEOPLE_PER_UNIT)
            total = min(MAX_UNITS, max(MIN_UNITS, total))
            communities = max(1, round(total * COMMUNITY_SHARE[town["kind"]]))
            villages = total - communities
            basis = "illustrative: 2000-census population / 7,000, 6 to 28"
        rows.append(
            {
                "town": code,
                "communities": communities,
                "villages": villages,
                "basis": basis,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "town": pl.String,
            "communities": pl.Int64,
            "villages": pl.Int64,
            "basis": pl.String,
        },
    )


def _pinyin_join(first: str, second: str) -> str:
    # An apostrophe keeps syllables apart where they would run together (Xi'an).
    joiner = "'" if second[0] in "aeo" else ""
    return (first + joiner + second).capitalize()


def _draw_name(rng: np.random.Generator, used: set[str]) -> tuple[str, str]:
    while True:
        zh1, py1 = FIRST_SYLLABLES[rng.integers(len(FIRST_SYLLABLES))]
        zh2, py2 = SECOND_SYLLABLES[rng.integers(len(SECOND_SYLLABLES))]
        if zh1 == zh2 or zh1 + zh2 in used:
            continue
        used.add(zh1 + zh2)
        return zh1 + zh2, _pinyin_join(py1, py2)


def _inside(area: BaseGeometry, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return shapely.contains_xy(area, lon, lat)


def _best_candidate(
    rng: np.random.Generator,
    draw,
    area: BaseGeometry,
    placed: list[tuple[float, float]],
    candidates: int,
) -> tuple[float, float]:
    """Return, of several points drawn inside `area`, the one farthest from `placed`.

    Mitchell's best-candidate sampling: spreads points like a Poisson-disc
    sample while staying deterministic for a given generator.
    """
    chosen: list[tuple[float, float]] = []
    while len(chosen) < candidates:
        lon, lat = draw(64)
        lon, lat = np.round(lon, _DECIMALS), np.round(lat, _DECIMALS)
        keep = _inside(area, lon, lat)
        chosen.extend(zip(lon[keep].tolist(), lat[keep].tolist(), strict=True))
    chosen = chosen[:candidates]
    if not placed:
        return chosen[0]
    px, py = _to_km(*np.array(placed).T)
    best, best_distance = chosen[0], -1.0
    for lon, lat in chosen:
        cx, cy = _to_km(lon, lat)
        distance = float(np.min(np.hypot(px - cx, py - cy)))
        if distance > best_distance:
            best, best_distance = (lon, lat), distance
    return best


def _town_units(town: dict, counts: dict, area: BaseGeometry, used: set[str]) -> list:
    rng = np.random.default_rng([SEED, int(town["code_9"])])
    centre_lon, centre_lat = town["center_lon_wgs84"], town["center_lat_wgs84"]
    min_lon, min_lat, max_lon, max_lat = area.bounds
    radius_km = math.sqrt(area.area * _KM_PER_DEG_LON * _KM_PER_DEG_LAT / math.pi)
    spread_km = min(2.5, 0.3 * radius_km)

    def near_centre(n: int):
        dx, dy = rng.normal(0.0, spread_km, size=(2, n))
        return centre_lon + dx / _KM_PER_DEG_LON, centre_lat + dy / _KM_PER_DEG_LAT

    def anywhere(n: int):
        return rng.uniform(min_lon, max_lon, n), rng.uniform(min_lat, max_lat, n)

    units = []
    placed: list[tuple[float, float]] = []
    plan = [("community", i + 1) for i in range(counts["communities"])]
    plan += [("village", 201 + i) for i in range(counts["villages"])]
    for kind, serial in plan:
        name_zh, name_py = _draw_name(rng, used)
        if kind == "community":
            lon, lat = _best_candidate(rng, near_centre, area, placed, 4)
            weight = rng.lognormal(math.log(2.5), 0.4)
            suffix_zh, suffix_en = "社区", "Community"
        else:
            lon, lat = _best_candidate(rng, anywhere, area, placed, 8)
            weight = rng.lognormal(0.0, 0.5)
            suffix_zh, suffix_en = "村", "Village"
        placed.append((lon, lat))
        units.append(
            {
                "code": f"{town['code_9']}{serial:03d}",
                "town": town["code_9"],
                "name_zh": name_zh + suffix_zh,
                "name_en": f"{name_py} {suffix_en}",
                "kind": kind,
                "is_urban": kind == "community",
                "lon": lon,
                "lat": lat,
                "population_weight": weight,
                "synthetic": True,
            }
        )
    total = sum(unit["population_weight"] for unit in units)
    for unit in units:
        unit["population_weight"] /= total
    return units


VILLAGE_SCHEMA = {
    "code": pl.String,
    "town": pl.String,
    "name_zh": pl.String,
    "name_en": pl.String,
    "kind": pl.String,
    "is_urban": pl.Boolean,
    "lon": pl.Float64,
    "lat": pl.Float64,
    "population_weight": pl.Float64,
    "synthetic": pl.Boolean,
}


@cache
def villages_frame() -> pl.DataFrame:
    """Return the synthetic administrative villages and communities of all towns.

    One row per unit, ordered by code; `population_weight` sums to 1.0 within
    each town. Deterministic: the same frame on every call and every machine
    with the same library versions.
    """
    areas = dict(_areas())
    counts = {row["town"]: row for row in unit_counts().iter_rows(named=True)}
    used: set[str] = set()
    rows = []
    for town in towns_frame().iter_rows(named=True):
        code = town["code_9"]
        rows.extend(_town_units(town, counts[code], areas[code], used))
    return pl.DataFrame(rows, schema=VILLAGE_SCHEMA).sort("code")


NATURAL_VILLAGE_SCHEMA = {
    "code": pl.String,
    "village": pl.String,
    "town": pl.String,
    "name_zh": pl.String,
    "name_en": pl.String,
    "lon": pl.Float64,
    "lat": pl.Float64,
    "synthetic": pl.Boolean,
}


def _hamlets(village: dict, area: BaseGeometry) -> list[dict]:
    rng = np.random.default_rng([SEED, int(village["code"])])
    count = int(rng.integers(2, 9))
    used: set[str] = set()
    rows = []
    for serial in range(1, count + 1):
        name_zh, name_py = _draw_name(rng, used)
        suffix_zh, suffix_py = _HAMLET_SUFFIXES[rng.integers(len(_HAMLET_SUFFIXES))]
        lon, lat = village["lon"], village["lat"]
        for _ in range(50):
            angle = rng.uniform(0.0, 2.0 * math.pi)
            distance_km = 1.2 * math.sqrt(rng.uniform(0.05, 1.0))
            try_lon = round(
                village["lon"] + distance_km * math.cos(angle) / _KM_PER_DEG_LON,
                _DECIMALS,
            )
            try_lat = round(
                village["lat"] + distance_km * math.sin(angle) / _KM_PER_DEG_LAT,
                _DECIMALS,
            )
            if area.contains(shapely.Point(try_lon, try_lat)):
                lon, lat = try_lon, try_lat
                break
        rows.append(
            {
                "code": f"{village['code']}{serial:03d}",
                "village": village["code"],
                "town": village["town"],
                "name_zh": name_zh + suffix_zh,
                "name_en": name_py + suffix_py,
                "lon": lon,
                "lat": lat,
                "synthetic": True,
            }
        )
    return rows


@cache
def natural_villages_frame() -> pl.DataFrame:
    """Return the synthetic natural villages (自然村) under administrative villages.

    Two to eight per administrative village, none under communities; ordered by
    code, which is the village's 12-digit code plus a 3-digit serial.
    """
    areas = dict(_areas())
    rows = []
    villages = villages_frame().filter(pl.col("kind") == "village")
    for village in villages.iter_rows(named=True):
        rows.extend(_hamlets(village, areas[village["town"]]))
    return pl.DataFrame(rows, schema=NATURAL_VILLAGE_SCHEMA).sort("code")
