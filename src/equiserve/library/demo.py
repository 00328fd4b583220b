"""The demo city's library network: libraries, a catalogue, readers, circulation, digital use.

Deterministic for a seed and fast (bulk writes, a few thousand rows): the city
library, two branches, a library in each town, a 24-hour kiosk in every third
town; 1,000 works with two copies each; 200 readers (a third of them migrant
residents); loans, returns at other towns' libraries (copies in transit home),
holds; the five categories of digital resources, the villages' e-reading rooms
(from the culture rooms the facilities list) and their use.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from equiserve.geography.models import Town
from equiserve.library import services
from equiserve.library.catalogue import work_tokens
from equiserve.library.indicators import e_reading_rooms_from_facilities
from equiserve.library.models import (
    DigitalResource,
    DigitalUse,
    EReadingRoom,
    Hold,
    Item,
    Library,
    Loan,
    Patron,
    ResourceCategory,
    Terminal,
    Transfer,
    Work,
)
from equiserve.registry.models import Person

CITY_TOWN = "442000001"  # 石岐街道: the city library and its branches
WORKS = 1000
READERS = 200
DEMO_KIOSK_PASSWORD = "demo-kiosk"

_SUBJECTS = [
    "中国文学",
    "地方志",
    "历史",
    "经济",
    "少儿读物",
    "农业技术",
    "医药卫生",
    "法律",
    "计算机",
    "艺术",
]
_WORDS = [
    "中山",
    "岭南",
    "香山",
    "孙中山",
    "珠江",
    "侨乡",
    "故事",
    "研究",
    "文化",
    "民俗",
    "科技",
    "教育",
    "健康",
    "美食",
    "诗词",
    "小说",
    "散文",
    "经济",
    "发展",
    "生活",
]
_SURNAMES = [
    "李",
    "王",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "郑",
    "梁",
    "何",
    "林",
]
_GIVEN = [
    "明",
    "华",
    "芳",
    "伟",
    "敏",
    "静",
    "强",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
]
_RESOURCES = {
    ResourceCategory.JOURNALS: ["中国学术期刊全文库", "维普期刊资源"],
    ResourceCategory.NEWSPAPERS: ["中山日报电子版", "博看期刊"],
    ResourceCategory.EBOOKS: ["超星电子图书", "书香中山电子书"],
    ResourceCategory.DECISION: ["国研网决策参考", "中山统计数据库"],
    ResourceCategory.MULTIMEDIA: ["中山非遗影像库", "少儿多媒体资源库"],
}


def library_demo_clear() -> None:
    """Remove the library network's rows (they protect persons and villages)."""
    for model in (DigitalUse, Transfer, Hold, Loan, Item, Terminal, Patron):
        model.objects.all().delete()
    for model in (DigitalResource, EReadingRoom, Work):
        model.objects.all().delete()
    Library.objects.filter(parent__isnull=False).delete()
    Library.objects.all().delete()


def _libraries() -> list[Library]:
    city = Library.objects.create(
        code="ZSLIB",
        name_zh="中山纪念图书馆",
        name_en="Zhongshan Library",
        kind="city",
        town_id=CITY_TOWN,
    )
    out = [city]
    for n, (zh, en) in enumerate(
        [("东区分馆", "East District branch"), ("西区分馆", "West District branch")], 1
    ):
        out.append(
            Library.objects.create(
                code=f"ZSLIB-B{n}",
                name_zh=zh,
                name_en=en,
                kind="branch",
                town_id=CITY_TOWN,
            )
        )
    for n, town in enumerate(Town.objects.order_by("code")):
        library = Library.objects.create(
            code=f"T{town.code[-3:]}",
            name_zh=f"{town.short_name_zh}图书馆",
            name_en=f"{town.name_en} library",
            kind="town",
            town=town,
        )
        out.append(library)
        if n % 3 == 0:
            out.append(
                Library.objects.create(
                    code=f"T{town.code[-3:]}-24H",
                    name_zh=f"{town.short_name_zh}24小时自助图书馆",
                    name_en=f"{town.name_en} 24-hour library",
                    kind="kiosk",
                    town=town,
                    parent=library,
                )
            )
    return out


def _isbn(n: int) -> str:
    from stdnum import ean

    body = f"978751{n:06d}"
    return body + ean.calc_check_digit(body)


@transaction.atomic
def library_demo_load(seed: int = 1) -> dict[str, int]:
    """Load the demo network; return the counts loaded."""
    rng = random.Random(seed)
    library_demo_clear()
    libraries = _libraries()
    shelves = [lib for lib in libraries if lib.kind != "kiosk"]
    works = []
    for n in range(WORKS):
        title = "".join(rng.sample(_WORDS, 2)) + rng.choice(
            ["", "概论", "读本", "史话", "（第二版）"]
        )
        work = Work(
            isbn=_isbn(n),
            title=title,
            author=rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, 2)),
            publisher=rng.choice(
                ["广东人民出版社", "中山大学出版社", "人民文学出版社"]
            ),
            year=str(rng.randint(1995, 2015)),
            subjects=rng.choice(_SUBJECTS),
            source_format=rng.choice(["marc21", "cnmarc"]),
        )
        work.search_tokens = work_tokens(work)
        works.append(work)
    Work.objects.bulk_create(works, batch_size=500)
    items = [
        Item(
            barcode=f"{lib.code}-{n:05d}-{copy}",
            work=work,
            home=lib,
            location=lib,
            call_number=f"I{rng.randint(200, 299)}.{rng.randint(1, 9)}",
        )
        for n, work in enumerate(works)
        for copy, lib in enumerate(rng.sample(shelves, 2))
    ]
    Item.objects.bulk_create(items, batch_size=1000)
    persons = list(
        Person.objects.order_by("id").values_list("id", "name", "hukou")[:READERS]
    )
    issued = dt.date(2014, 3, 1)
    patrons = [
        Patron(
            card=f"4400{n:06d}",
            name=name[:32],
            person_id=pid,
            migrant=hukou != "zhongshan",
            home=shelves[n % len(shelves)],
            issued_on=issued,
        )
        for n, (pid, name, hukou) in enumerate(persons)
    ]
    for n in range(len(patrons), READERS):
        patrons.append(
            Patron(
                card=f"4400{n:06d}",
                name=rng.choice(_SURNAMES) + rng.choice(_GIVEN),
                migrant=n % 3 == 0,
                home=shelves[n % len(shelves)],
                issued_on=issued,
            )
        )
    Patron.objects.bulk_create(patrons)
    patrons = list(Patron.objects.order_by("card"))
    pin = make_password(DEMO_KIOSK_PASSWORD)
    Terminal.objects.bulk_create(
        [
            Terminal(login=f"kiosk-{lib.code.lower()}", password_hash=pin, library=lib)
            for lib in libraries
            if lib.kind in ("kiosk", "city")
        ]
    )
    # Circulation through the services, so every rule holds: 60 loans, a third
    # returned at another town's library (in transit home), some holds.
    start = timezone.make_aware(dt.datetime(2015, 10, 8, 10))
    by_barcode = {item.barcode: item for item in Item.objects.select_related("home")}
    chosen = rng.sample(sorted(by_barcode), 60)
    loans = returns = 0
    for n, barcode in enumerate(chosen):
        item = by_barcode[barcode]
        at = start + dt.timedelta(hours=n)
        services.loan_checkout(
            patron=patrons[n % len(patrons)], item=item, library=item.home, at=at
        )
        loans += 1
        if n % 3 == 0:
            elsewhere = shelves[(shelves.index(item.home) + 5) % len(shelves)]
            services.loan_return(
                item=item, library=elsewhere, at=at + dt.timedelta(days=12)
            )
            returns += 1
    for n in range(20):
        services.hold_place(
            patron=patrons[-1 - n],
            work=works[n],
            pickup=shelves[n % len(shelves)],
            at=start,
        )
    resources = [
        DigitalResource(
            code=f"{category}-{n}", title=title, category=category, library=libraries[0]
        )
        for category, titles in _RESOURCES.items()
        for n, title in enumerate(titles, 1)
    ]
    DigitalResource.objects.bulk_create(resources)
    rooms = e_reading_rooms_from_facilities()
    room_list = list(
        EReadingRoom.objects.select_related("village").order_by("village_id")
    )
    uses = []
    for n in range(400):
        resource = resources[n % len(resources)]
        at = start + dt.timedelta(hours=3 * n)
        if room_list and n % 2:
            room = room_list[(n * 7) % len(room_list)]
            uses.append(
                DigitalUse(
                    resource=resource,
                    patron=patrons[n % len(patrons)],
                    room=room,
                    town_id=room.village.town_id,
                    at=at,
                )
            )
        else:
            lib = libraries[(n * 5) % len(libraries)]
            uses.append(
                DigitalUse(
                    resource=resource,
                    patron=patrons[n % len(patrons)],
                    library=lib,
                    town_id=lib.town_id,
                    at=at,
                )
            )
    DigitalUse.objects.bulk_create(uses)
    return {
        "libraries": len(libraries),
        "works": len(works),
        "items": len(items),
        "readers": len(patrons),
        "loans": loans,
        "returned_elsewhere": returns,
        "e_reading_rooms": rooms,
        "digital_uses": len(uses),
    }
