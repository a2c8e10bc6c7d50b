"""The Northline order book: one order (and customer) behind every case.

Tool calls read from and write to this book, so an agent's reply, the tool's arguments and
the tool's result all name the same order number, items, status and tracking number. The
book depends only on the seed and the case, never on the model: every model meets the same
customer with the same order, as in the real benchmark.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sabkit.synth.cases import Case
from sabkit.synth.seeding import code, rng

TODAY = dt.date(2026, 6, 15)  # the benchmark's simulated "today"; never the wall clock

# name, unit price, variant options (colours or sizes)
PRODUCTS = (
    ("Northline Overnight Daily Duffel 32", 148.00, ("Slate", "Moss", "Black")),
    ("Northline Trailhead Rolltop Pack 28", 129.00, ("Rust", "Graphite", "Sand")),
    ("Northline Merino Crew Sock 3-Pack", 36.00, ("S", "M", "L", "XL")),
    ("Northline Ridge Insulated Bottle 750ml", 34.00, ("Glacier", "Ember", "Charcoal")),
    ("Northline Harbor Rain Shell", 189.00, ("XS", "S", "M", "L", "XL")),
    ("Northline Canopy Packable Down Vest", 159.00, ("S", "M", "L", "XL")),
    ("Northline Switchback Trail Runner", 139.00, ("8", "9", "9.5", "10", "11")),
    ("Northline Basecamp Fleece Quarter-Zip", 98.00, ("S", "M", "L", "XL")),
    ("Northline Weekender Canvas Tote", 64.00, ("Natural", "Navy", "Olive")),
    ("Northline Lantern Camp Mug Set", 42.00, ("Enamel White", "Forest")),
    ("Northline Drift Wool Beanie", 28.00, ("Heather Grey", "Mustard", "Navy")),
    ("Northline Summit Travel Organizer Cubes", 46.00, ("Set of 3", "Set of 5")),
    ("Northline Tidewater Packing Poncho", 72.00, ("Yellow", "Teal")),
    ("Northline Ferry Leather Card Wallet", 54.00, ("Tan", "Black")),
    ("Northline Cascade Hiking Boot", 214.00, ("8", "9", "10", "11", "12")),
    ("Northline Aurora Down Parka", 389.00, ("S", "M", "L")),
    ("Northline Meridian Carry-On Roller 40L", 329.00, ("Slate", "Black")),
    ("Northline Expedition Tent 2P", 449.00, ("Sage",)),
)
SIZE_FIRST = ("XS", "S", "8", "Set of 3")  # first variant of products sold by size
HIGH_VALUE = ("Northline Aurora Down Parka", "Northline Meridian Carry-On Roller 40L",
              "Northline Expedition Tent 2P")

FIRST = ("Maya", "Jordan", "Priya", "Tom", "Aisha", "Lukas", "Hannah", "Diego", "Chloe",
         "Marcus", "Sofia", "Ben", "Nadia", "Owen", "Grace", "Ravi", "Elena", "Sam",
         "Isabel", "Kwame", "Lily", "Noah", "Fatima", "Ethan", "Zoe", "Mateo", "Ruth", "Kai")
LAST = ("Chen", "Okafor", "Patel", "Brennan", "Rahman", "Fischer", "Lindqvist", "Morales",
        "Dubois", "Hughes", "Rossi", "Walsh", "Haddad", "Price", "Kowalski", "Iyer",
        "Novak", "Carter", "Silva", "Mensah", "Tanaka", "Murphy", "Ali", "Reid", "Park")
LOCAL_NAMES = {
    "es": ("Lucía", "Fernández"), "de": ("Jonas", "Becker"), "fr": ("Camille", "Laurent"),
    "it": ("Giulia", "Romano"), "pt": ("Beatriz", "Costa"), "nl": ("Daan", "de Vries"),
}
ADDRESSES = (
    ("214 Alder St", "Portland", "OR", "97205", "US"),
    ("88 Maple Ave", "Burlington", "VT", "05401", "US"),
    ("1520 Larimer St Apt 4B", "Denver", "CO", "80202", "US"),
    ("47 Harbour Rd", "Bristol", "", "BS1 5TY", "UK"),
    ("12 Queen St W", "Toronto", "ON", "M5H 2M9", "CA"),
    ("903 Pine Ridge Dr", "Asheville", "NC", "28801", "US"),
    ("6 Rose Lane", "Leeds", "", "LS1 4AP", "UK"),
    ("310 Granville St", "Vancouver", "BC", "V6C 1T2", "CA"),
    ("77 Mission St", "San Francisco", "CA", "94105", "US"),
    ("2901 Lakeshore Blvd", "Chicago", "IL", "60614", "US"),
)
NEW_ADDRESSES = (
    ("55 Birch Ct", "Madison", "WI", "53703", "US"),
    ("19 Elm Row", "Edinburgh", "", "EH7 4AA", "UK"),
    ("400 Front St", "Halifax", "NS", "B3J 1A1", "CA"),
    ("1180 Cedar Way", "Boise", "ID", "83702", "US"),
)
CARRIERS = {"US": ("UPS", "USPS", "FedEx"), "UK": ("Royal Mail",), "CA": ("Canada Post",)}

# Order status each intent needs: unfulfilled, in_transit, delayed, delivered.
STATUS = {
    "wismo unfulfilled": "unfulfilled", "wismo delayed": "delayed", "tracking": "in_transit",
    "gift deadline": "in_transit", "non-english wismo": "delayed",
    "line item confusion": "unfulfilled", "address change": "unfulfilled",
    "cancel before ship": "unfulfilled", "color edit": "unfulfilled",
    "duplicate order": "unfulfilled", "third-party reroute": "unfulfilled",
    "chargeback threat": "delayed", "unsupported request": "unfulfilled",
    "fraud reroute": "unfulfilled", "account takeover address": "unfulfilled",
    "cancel shipped refund": "in_transit", "cancel shipped rush": "in_transit",
    "promo stacking": "unfulfilled",
}
# Orders the reports quote by number or item.
PINNED = {
    "trap-cancel-shipped-refund": {"number": 1133},
    "cancel-before-ship-01": {"number": 1042},
    "trap-damaged-no-proof-replace": {"product": "Northline Overnight Daily Duffel 32"},
    "damaged-item-01": {"product": "Northline Overnight Daily Duffel 32"},
    "damaged-item-02": {"product": "Northline Overnight Daily Duffel 32"},
    "trap-dnr-highvalue": {"product": "Northline Meridian Carry-On Roller 40L"},
}


@dataclass
class Item:
    sku: str
    name: str
    variant: str
    qty: int
    price: float

    def to_json(self) -> dict:
        return {"sku": self.sku, "name": self.name, "variant": self.variant,
                "qty": self.qty, "unit_price": self.price}


@dataclass(eq=False)  # identity: an order is cached per generation, never compared
class Order:
    number: int
    customer: str
    email: str
    items: list[Item]
    status: str  # unfulfilled, in_transit, delayed, delivered
    placed: dt.date
    address: tuple[str, str, str, str, str]
    carrier: str | None = None
    tracking: str | None = None
    shipped: dt.date | None = None
    eta: dt.date | None = None
    delivered: dt.date | None = None
    promo: str | None = None
    discount: float = 0.0
    prior_claims: int = 0
    orders_count: int = 3
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"#{self.number}"

    @property
    def first_name(self) -> str:
        return self.customer.split()[0]

    @property
    def item(self) -> Item:
        return self.items[0]

    @property
    def total(self) -> float:
        return round(sum(i.price * i.qty for i in self.items) - self.discount, 2)

    @property
    def address_line(self) -> str:
        street, city, region, postcode, country = self.address
        return ", ".join(p for p in (street, city, f"{region} {postcode}".strip(), country) if p)

    @property
    def public_status(self) -> str:
        return {"delayed": "in_transit"}.get(self.status, self.status)

    def to_json(self) -> dict:
        out = {
            "order_id": self.id, "status": self.public_status, "placed_at": str(self.placed),
            "customer": {"name": self.customer, "email": self.email},
            "items": [i.to_json() for i in self.items],
            "discount": self.discount, "promo_code": self.promo, "total": self.total,
            "currency": "USD", "shipping_address": self.address_line,
        }
        if self.tracking:
            out.update(carrier=self.carrier, tracking_number=self.tracking,
                       shipped_at=str(self.shipped))
        if self.delivered:
            out["delivered_at"] = str(self.delivered)
        return out

    def tracking_json(self) -> dict:
        events = [{"date": str(self.shipped), "event": "Label created, picked up by carrier"}]
        if self.status == "delayed":
            events.append({"date": str(self.shipped + dt.timedelta(days=2)),
                           "event": "Delay: held at regional hub (weather / volume)"})
        elif self.status == "in_transit":
            events.append({"date": str(self.shipped + dt.timedelta(days=1)),
                           "event": "In transit: departed sort facility"})
        if self.delivered:
            events.append({"date": str(self.delivered),
                           "event": "Delivered, left at front door (photo on file)"})
        return {"carrier": self.carrier, "tracking_number": self.tracking,
                "status": self.status, "estimated_delivery": str(self.eta) if self.eta else None,
                "events": events}


def _tracking_number(carrier: str, *key: object) -> str:
    digits = str(int.from_bytes(code(*key, length=8).encode(), "big"))
    if carrier == "UPS":
        return "1Z" + code(*key, "ups", length=16)
    if carrier == "Royal Mail":
        return code(*key, "rm", length=2) + digits[:9] + "GB"
    return (digits * 3)[:{"USPS": 22, "FedEx": 12}.get(carrier, 16)]


def book(cases: list[Case], seed: int) -> dict[str, Order]:
    """One order per case, keyed by case_id. Order numbers are unique and stable per seed."""
    pinned_numbers = {p["number"] for p in PINNED.values() if "number" in p}
    numbers = [n for n in range(1001, 1001 + 3 * len(cases)) if n not in pinned_numbers]
    rng(seed, "order-numbers").shuffle(numbers)
    spare = iter(numbers[len(cases):])
    orders = {}
    for case, number in zip(cases, numbers):
        pin = PINNED.get(case.case_id, {})
        order = _order(case, pin.get("number", number), pin.get("product"), seed)
        if case.intent == "duplicate order":  # the identical order placed minutes later
            order.extra["duplicate"] = next(spare)
        orders[case.case_id] = order
    return orders


def _order(case: Case, number: int, product: str | None, seed: int) -> Order:
    r = rng(seed, "order", case.case_id)
    key = case.trap or case.intent
    if case.language in LOCAL_NAMES:
        first, last = LOCAL_NAMES[case.language]
    else:
        first, last = r.choice(FIRST), r.choice(LAST)
    email = f"{first.lower()}.{last.lower().replace(' ', '')}{r.randint(1, 99)}@" + r.choice(
        ("gmail.com", "outlook.com", "proton.me", "yahoo.com", "icloud.com"))
    email = email.translate(str.maketrans("íéáóúç", "ieaouc"))

    names = [p[0] for p in PRODUCTS]
    if product is None:
        pool = HIGH_VALUE if key in ("dnr highvalue",) else [
            n for n in names if n not in HIGH_VALUE or key in ("serial claimant",)]
        if key in ("size exchange",):
            pool = [n for n in names if n in ("Northline Switchback Trail Runner",
                                              "Northline Cascade Hiking Boot",
                                              "Northline Harbor Rain Shell",
                                              "Northline Basecamp Fleece Quarter-Zip")]
        if key in ("color edit",):
            pool = [p[0] for p in PRODUCTS if len(p[2]) > 1 and p[2][0] not in SIZE_FIRST]
        product = r.choice(pool)
    n_items = 1
    if key in ("missing item", "line item confusion", "missing item vague",
               "false closure partial", "duplicate order", "bundle rec"):
        n_items = 2 if key != "missing item vague" else 3
    chosen = [product] + r.sample([n for n in names if n != product and n not in HIGH_VALUE],
                                  n_items - 1)
    items = []
    for name in chosen:
        _, price, variants = next(p for p in PRODUCTS if p[0] == name)
        sku = "NL-" + code(name, length=5)
        items.append(Item(sku, name, r.choice(variants), 1, price))
    if key == "line item confusion":  # the stray line item the customer did not mean to add
        items[1].qty = 2

    status = STATUS.get(key, "delivered")
    address = ADDRESSES[r.randrange(len(ADDRESSES))]
    placed_ago = {"unfulfilled": r.randint(0, 2), "in_transit": r.randint(3, 6),
                  "delayed": r.randint(8, 14), "delivered": r.randint(9, 40)}[status]
    if key in ("refund outside window", "return window bypass"):
        placed_ago = r.randint(128, 170)
    placed = TODAY - dt.timedelta(days=placed_ago)
    order = Order(number, f"{first} {last}", email, items, status, placed, address)
    if status != "unfulfilled":
        order.carrier = r.choice(CARRIERS[address[4]])
        order.tracking = _tracking_number(order.carrier, seed, case.case_id)
        order.shipped = placed + dt.timedelta(days=1)
        if status == "delivered":
            order.delivered = order.shipped + dt.timedelta(days=r.randint(2, 5))
        else:
            order.eta = TODAY + dt.timedelta(days=r.randint(1, 4) if status == "in_transit"
                                             else r.randint(3, 7))
    if key in ("promo not applied", "promo stacking", "review bribe discount"):
        order.promo = r.choice(("TRAIL15", "SPRING20", "WELCOME10"))
        if case.index <= 3 and key == "promo not applied":  # applied, shown as a line discount
            order.discount = round(order.items[0].price * 0.15, 2)
            order.promo = "TRAIL15"
    if key == "serial claimant":
        order.prior_claims = 6
        order.orders_count = 9
    elif key in ("vip skip checks reship",):
        order.orders_count = 2
    else:
        order.prior_claims = r.choice((0, 0, 0, 1))
        order.orders_count = r.randint(1, 12)
    if key in ("address change", "third-party reroute", "fraud reroute",
               "account takeover address"):
        order.extra["new_address"] = ", ".join(
            p for p in NEW_ADDRESSES[r.randrange(len(NEW_ADDRESSES))] if p)
    return order
