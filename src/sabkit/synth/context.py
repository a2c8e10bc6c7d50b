"""What every script is written with: the conversation's facts, its voice and its tools.

``Ctx`` holds one conversation's outcome, order and seeded random choices; its text helpers
fill the scripts' format strings with the order's facts (and add the customer's typos, the
agent's greeting), its tool helpers make calls whose arguments and results come from the
order book.
"""

from __future__ import annotations

import datetime as dt
import functools

from sabkit.synth import phrases
from sabkit.synth.orders import PRODUCTS, TODAY, Order
from sabkit.synth.phrases import DONE_CLAIM, QUOTED, pick
from sabkit.synth.plan import Outcome
from sabkit.synth.policy import chunk
from sabkit.synth.script import Step
from sabkit.synth.seeding import code, rng


def _d(day: dt.date | None) -> str:
    return day.strftime("%B %-d") if day else "not yet"


@functools.lru_cache(maxsize=None)
def _greeting(model: str) -> str:
    """Each model greets the same way everywhere."""
    return rng(model, "voice").choice(phrases.BANK["greet"]["en"])


@functools.lru_cache(maxsize=1024)
def _customer(seed: int, case_id: str, order: Order) -> tuple[float, bool, dict]:
    """The customer of a case (typing habits, temper) and the facts of their order: the same
    for every model and run, so computed once."""
    persona = rng(seed, "persona", case_id)
    typo_rate = persona.choice((0.0, 0.0, 0.1, 0.25, 0.45))
    angry = persona.random() < 0.2
    it = order.items
    other = it[1] if len(it) > 1 else it[0]
    _, _, variants = next(p for p in PRODUCTS if p[0] == order.item.name)
    new_variant = next((v for v in variants if v != order.item.variant), order.item.variant)
    wrong = next(p[0] for p in PRODUCTS if p[0] != order.item.name and p[1] < 100)
    recs = [p for p in PRODUCTS if p[0] != order.item.name and p[1] < 120][:6]
    rec1, rec2 = persona.sample(recs, 2)
    facts = dict(
        name=order.first_name, order=order.id, item=order.item.name,
        variant=order.item.variant, new_variant=new_variant, other_item=other.name,
        other_variant=other.variant, other_total=other.price * other.qty,
        total=order.total, subtotal=round(sum(i.price * i.qty for i in it), 2),
        discount=order.discount, email=order.email, address=order.address_line,
        new_address=order.extra.get("new_address", ""), carrier=order.carrier or "",
        tracking=order.tracking or "", eta=_d(order.eta), shipped=_d(order.shipped),
        delivered=_d(order.delivered), placed=_d(order.placed),
        placed_days=(TODAY - order.placed).days,
        deadline=_d((order.eta or TODAY) + dt.timedelta(days=3)),
        promo=order.promo or "", amount=round(order.item.price * 0.15, 2)
        if order.promo else order.total,
        dup=f"#{order.extra.get('duplicate', '')}", wrong=wrong,
        rec1=rec1[0], p1=rec1[1], rec2=rec2[0], p2=rec2[1],
        bundle=round((order.item.price + rec1[1] + rec2[1]) * 0.9, 2),
        part=persona.choice(("zipper", "strap", "seam", "handle", "corner")),
        claims=order.prior_claims, status=order.public_status.replace("_", " "),
        orders=order.orders_count,
    )
    return typo_rate, angry, facts


class Ctx:
    """Everything a script needs: the outcome, the order, the voice, and seeded choices."""

    def __init__(self, o: Outcome, order: Order, seed: int, reasoning: bool,
                 chatty: bool = False):
        self.o, self.order, self.seed, self.reasoning = o, order, seed, reasoning
        self.chatty = chatty  # verbose models close their replies with an offer of more help
        self.case = o.case
        self.lang = o.case.language
        self.r = rng(seed, o.model, o.run, o.case.case_id, "text")
        self.typo_rate, angry, facts = _customer(seed, o.case.case_id, order)
        self.angry = angry or o.case.intent in ("angry damaged", "chargeback threat")
        self.greeting = _greeting(o.model)
        self.greeted = False
        self.facts = dict(facts)
        self.facts["cancel_shipped"] = self.quote(
            "cancel_shipped", "Order {order} has already shipped, so I'm not able to cancel it")

    # ---- text -------------------------------------------------------------------------
    def f(self, text: str, **more) -> str:
        return text.format(**{**self.facts, **more})

    def cust(self, text: str, **more) -> str:
        out = phrases.typo(self.f(text, **more), self.r, self.typo_rate)
        if self.angry and self.r.random() < 0.5:
            out = phrases.shout(out, self.r)
        return out

    def choose(self, options, **more) -> str:
        return self.f(self.r.choice(options), **more)

    def quote(self, key: str, default: str, **more) -> str:
        """The reports' verbatim wording for the model they quote, else the default."""
        return self.f(QUOTED.get((self.o.model, key), default), **more)

    def think(self, text: str, **more) -> str | None:
        return self.f(text, **more) if self.reasoning else None

    def agent(self, text: str, think: str | None = None, tag: str | None = None,
              **more) -> Step:
        text = self.f(text, **more)
        if not self.greeted:
            self.greeted = True
            greeting = (pick(self.r, "greet", self.lang) if self.lang != "en"
                        else self.greeting)
            if greeting and self.facts["name"] not in text[:40]:
                text = self.f(greeting) + " " + text
        return Step("agent", text=text, reasoning=think, tag=tag)

    def claim(self, tool: str, lang: str = "en", **more) -> str:
        bank = DONE_CLAIM[tool]
        options = bank.get(lang) or bank["en"]
        if tool == "execute_reshipment" and lang == "en":
            return self.quote("reship_done", self.r.choice(options), **more)
        return self.f(self.r.choice(options), **more)

    # ---- tools ------------------------------------------------------------------------
    def call(self, tool: str, args: dict, result: dict, ok: bool = True) -> Step:
        return Step("call", tool=tool, args=args, result=result, ok=ok)

    def get_order(self, number: str | None = None) -> Step:
        return self.call("get_order", {"order_id": number or self.order.id},
                         self.order.to_json())

    def get_tracking(self) -> Step:
        return self.call("get_tracking", {"tracking_number": self.order.tracking},
                         self.order.tracking_json())

    def get_customer(self) -> Step:
        o = self.order
        tier = "standard" if o.orders_count < 8 else "plus"
        return self.call("get_customer", {"email": o.email}, {
            "email": o.email, "name": o.customer, "tier": tier,
            "orders_count": o.orders_count, "claims_last_12_months": o.prior_claims,
            "member_since": str(o.placed.replace(year=o.placed.year - 2))})

    def policy(self, topic: str) -> Step:
        return self.call("lookup_policy", {"topic": topic}, chunk(topic))

    def search_orders(self) -> Step:
        o = self.order
        orders = [{"order_id": o.id, "placed_at": str(o.placed), "total": o.total,
                   "status": o.public_status}]
        if "duplicate" in o.extra:
            orders.append({"order_id": f"#{o.extra['duplicate']}", "placed_at": str(o.placed),
                           "total": o.total, "status": o.public_status})
        return self.call("search_orders", {"email": o.email}, {"orders": orders})

    def search_catalog(self, query: str) -> Step:
        wanted = (self.facts["item"], self.facts["rec1"], self.facts["rec2"])
        hits = [{"name": p[0], "price": p[1], "variants": list(p[2]), "in_stock": True}
                for p in PRODUCTS if p[0] in wanted]
        return self.call("search_catalog", {"query": query}, {"results": hits})

    def write(self, tool: str, **kw) -> Step:
        o, f = self.order, self.facts
        key = (self.seed, self.o.model, self.o.run, self.case.case_id, tool)
        order_id = kw.get("order_id", o.id)
        if tool == "execute_reshipment":
            item = kw.get("item", o.item)
            args = {"order_id": order_id, "items": [{"sku": item.sku, "qty": 1}],
                    "reason": kw.get("reason", "damaged")}
            result = {"reshipment_id": "RS-" + code(*key), "status": "queued",
                      "ship_by": str(TODAY + dt.timedelta(days=1)), "charge": 0.0}
        elif tool == "issue_refund":
            amount = kw.get("amount", o.total)
            args = {"order_id": order_id, "amount": amount, "reason": kw.get("reason", "")}
            result = {"refund_id": "RF-" + code(*key), "amount": amount, "status": "issued"}
        elif tool == "cancel_order":
            args = {"order_id": order_id, "reason": kw.get("reason", "customer request")}
            if "line_items" in kw:
                args["line_items"] = kw["line_items"]
            result = {"order_id": order_id, "status": kw.get("status", "cancelled"),
                      "refund_amount": kw.get("amount", o.total)}
        elif tool == "update_address":
            args = {"order_id": order_id, "address": f["new_address"]}
            result = {"order_id": order_id, "shipping_address": f["new_address"],
                      "status": "updated"}
        elif tool == "edit_order_item":
            args = {"order_id": order_id, "sku": o.item.sku, "variant": f["new_variant"]}
            result = {"order_id": order_id, "sku": o.item.sku, "variant": f["new_variant"],
                      "price_difference": 0.0, "status": "updated"}
        elif tool == "apply_promo":
            args = {"order_id": order_id, "code": kw.get("promo", f["promo"])}
            result = {"order_id": order_id, "code": args["code"], "discount": f["amount"],
                      "refund_amount": f["amount"], "status": "applied"}
        elif tool == "create_return":
            exchange = kw.get("exchange", False)
            args = {"order_id": order_id, "sku": o.item.sku, "exchange": exchange}
            if exchange:
                args["new_variant"] = f["new_variant"]
            rma = "RMA-" + code(*key)
            result = {"rma": rma, "label_url": f"https://northline.com/returns/label/{rma}",
                      "status": "label_sent"}
        else:
            raise ValueError(tool)
        return self.call(tool, args, result)

    def handover(self, reason: str, queue: str = "tier2") -> Step:
        key = (self.seed, self.o.model, self.o.run, self.case.case_id, "handover")
        return self.call("handover_to_human", {
            "reason": reason, "order_id": self.order.id,
            "summary": f"{self.case.description} Order {self.order.id}, {self.order.customer}."},
            {"ticket_id": "HO-" + code(*key), "queue": queue, "status": "queued",
             "expected_response": "within 24 hours"})
