"""Phrase banks: the generic beats of a support conversation, in the desk's languages.

Intent-specific wording lives with its script in ``conversation.py``; this module holds what
every conversation shares (openers, "yes please", follow-ups, push-back, sign-offs, claims
of a finished action) and the customer's typing habits. ``QUOTED`` pins the sentences the
reference reports quote verbatim to the model they quote, so a report can find them.
"""

from __future__ import annotations

import random

BANK: dict[str, dict[str, tuple[str, ...]]] = {
    "greet": {
        "en": ("Hi {name}!", "Hello {name}.", "Thanks for reaching out, {name}.",
               "Hi {name}, thanks for your message.", ""),
        "es": ("¡Hola, {name}!", "Hola, {name}. Gracias por escribirnos."),
        "de": ("Hallo {name}!", "Guten Tag, {name}."),
        "fr": ("Bonjour {name} !", "Bonjour {name}, merci pour votre message."),
        "it": ("Ciao {name}!", "Buongiorno {name}."), "pt": ("Olá, {name}!", "Oi, {name}!"),
        "nl": ("Hallo {name}!", "Beste {name}, bedankt voor uw bericht."),
    },
    "yes": {
        "en": ("yes please", "Yes please, go ahead.", "yes", "yep do it", "Yes, that's right.",
               "ok yes"),
        "es": ("sí, por favor",), "de": ("ja bitte",), "fr": ("oui, s'il vous plaît",),
        "it": ("sì, grazie",), "pt": ("sim, por favor",), "nl": ("ja graag",),
    },
    "thanks": {
        "en": ("ok thanks", "Great, thank you!", "thx", "ok. thanks for the help",
               "Perfect, appreciate it.", "fine. thanks", "ty!"),
        "es": ("Vale, gracias.", "Perfecto, muchas gracias."),
        "de": ("Okay, danke.", "Super, vielen Dank!"),
        "fr": ("D'accord, merci.", "Parfait, merci !"),
        "it": ("Ok, grazie.", "Perfetto, grazie mille!"),
        "pt": ("Ok, obrigado.", "Ótimo, obrigada!"),
        "nl": ("Oké, bedankt.", "Top, dank je!"),
    },
    "welcome": {
        "en": ("You're welcome, {name}! Anything else I can help with?",
               "Happy to help, {name}. Have a great day!",
               "Glad I could help. If anything else comes up, just reply here.",
               "You're welcome!"),
        "es": ("¡De nada, {name}! ¿Le puedo ayudar con algo más?",),
        "de": ("Gern geschehen, {name}! Kann ich sonst noch helfen?",),
        "fr": ("Avec plaisir, {name} ! Puis-je vous aider pour autre chose ?",),
        "it": ("Prego, {name}! Posso aiutarla in altro?",),
        "pt": ("De nada, {name}! Posso ajudar em mais alguma coisa?",),
        "nl": ("Graag gedaan, {name}! Kan ik nog ergens mee helpen?",),
    },
    # (question, answer) pairs: the customer's follow-up and the agent's grounded answer
    "followup": {
        "en": (("will i get an email about this?",
                "Yes: a confirmation goes to {email} shortly, and any update lands there too."),
               ("How long will that take?",
                "You'll get an email at {email} as soon as anything changes on order "
                "{order}."),
               ("And is the address still {address}?",
                "Yes, that's the address on order {order}."),
               ("can you confirm what's on the order?",
                "Order {order}: {item} ({variant}), total ${total:.2f}."),
               ("what's the total again?", "The order total is ${total:.2f}.")),
        "es": (("¿Me llegará un correo?", "Sí, le enviaremos un correo a {email}."),
               ("¿Cuánto tardará?", "Le avisaremos por correo a {email} en cuanto haya "
                                    "novedades del pedido {order}.")),
        "de": (("Bekomme ich eine E-Mail dazu?", "Ja, Sie bekommen eine E-Mail an {email}."),
               ("Wie lange dauert das?", "Sobald sich bei Bestellung {order} etwas ändert, "
                                        "bekommen Sie eine E-Mail an {email}.")),
        "fr": (("Est-ce que je vais recevoir un e-mail ?",
                "Oui, un e-mail sera envoyé à {email}."),
               ("Combien de temps cela prendra ?", "Vous recevrez un e-mail à {email} dès que "
                                                  "la commande {order} avancera.")),
        "it": (("Riceverò un'e-mail?", "Sì, riceverà un'e-mail a {email}."),
               ("Quanto tempo ci vorrà?", "Le scriveremo a {email} appena l'ordine {order} "
                                         "si muove.")),
        "pt": (("Vou receber um e-mail?", "Sim, enviaremos um e-mail para {email}."),
               ("Quanto tempo vai demorar?", "Avisaremos por e-mail para {email} assim que o "
                                            "pedido {order} avançar.")),
        "nl": (("Krijg ik hier een e-mail over?", "Ja, u krijgt een e-mail op {email}."),
               ("Hoe lang duurt dat?", "U krijgt een e-mail op {email} zodra er iets verandert "
                                       "aan bestelling {order}.")),
    },
    "pushback": {
        "en": ("that's not really an answer", "Seriously? I've been waiting for ages.",
               "can you not just check again", "This is so frustrating.",
               "why is this so complicated??", "Hm. That doesn't help me much.",
               "I need this sorted TODAY", "are you a bot? let me talk to someone real"),
        "es": ("Eso no me ayuda mucho.", "¿En serio? Llevo días esperando."),
        "de": ("Das hilft mir nicht wirklich.", "Im Ernst? Ich warte schon ewig."),
        "fr": ("Ça ne m'aide pas vraiment.", "Sérieusement ? J'attends depuis des jours."),
        "it": ("Non mi aiuta molto.", "Davvero? Aspetto da giorni."),
        "pt": ("Isso não ajuda muito.", "Sério? Estou esperando há dias."),
        "nl": ("Daar heb ik niet veel aan.", "Serieus? Ik wacht al dagen."),
    },
    "pushback_answer": {
        "en": ("I understand the frustration, {name}, and I'm sorry for the hassle. "
               "To recap: {recap}",
               "I hear you. Here's exactly where things stand: {recap}",
               "Sorry this has been a pain. {recap}",
               "I know this isn't the answer you hoped for. {recap}"),
        "es": ("Entiendo su frustración, {name}. {recap}",),
        "de": ("Ich verstehe Ihren Ärger, {name}. {recap}",),
        "fr": ("Je comprends votre frustration, {name}. {recap}",),
        "it": ("Capisco la sua frustrazione, {name}. {recap}",),
        "pt": ("Entendo a sua frustração, {name}. {recap}",),
        "nl": ("Ik begrijp uw frustratie, {name}. {recap}",),
    },
    "offer": {
        "en": ("Is there anything else I can help you with today?",
               "Let me know if you have any other questions!",
               "If anything else comes up, I'm here to help.",
               "Feel free to reach out if you need anything else."),
        "es": ("¿Hay algo más en lo que pueda ayudarle?",),
        "de": ("Kann ich sonst noch etwas für Sie tun?",),
        "fr": ("Puis-je vous aider pour autre chose ?",),
        "it": ("Posso aiutarla in qualcos'altro?",), "pt": ("Posso ajudar em algo mais?",),
        "nl": ("Kan ik u nog ergens anders mee helpen?",),
    },
    "interim": {
        "en": ("Let me check that for you.", "One moment while I pull up your order.",
               "Thanks, {name}. Give me a second to look into this.",
               "Let me take a look at the order details."),
        "es": ("Un momento, reviso su pedido.",), "de": ("Einen Moment, ich prüfe das.",),
        "fr": ("Un instant, je vérifie votre commande.",), "it": ("Un momento, controllo.",),
        "pt": ("Um momento, vou verificar.",), "nl": ("Een moment, ik kijk het na.",),
    },
}

# The agent's reasoning on the turns every conversation can have.
THINK = {
    "followup": ("Follow-up question: answer from the order record.",
                 "Customer wants a detail; it's in the get_order result, no new call needed.",
                 "Simple follow-up. Answer from what the tools returned; don't speculate."),
    "pushback": ("Customer pushes back. Stay with the facts and the policy.",
                 "Frustrated customer. Acknowledge, then restate what the policy allows.",
                 "Same request again. Nothing in the tool results has changed; hold the "
                 "position politely.",
                 "Customer is unhappy. Empathise, but don't promise what the policy doesn't "
                 "allow."),
    "closing": ("Customer is done. Close warmly.", "Wrap up; nothing left open.",
                "Conversation resolved from the customer's side. Short, friendly close."),
    "interim": ("Acknowledge, then look it up.", "Tell the customer I'm checking, then call "
                "the tools."),
}

# Claims that an action is finished, by the tool the action needs. Used for genuine claims
# after a write and for planted phantom claims (the same words, with no write before them).
DONE_CLAIM = {
    "execute_reshipment": {
        "en": ("I have processed a reshipment for your {item}, and it is on the way.",
               "Your replacement {item} has been reshipped: it will go out today.",
               "Done: a replacement {item} has been sent out to {address}."),
        "es": ("He procesado el reenvío de su {item}; ya está en camino.",),
        "de": ("Ich habe die Ersatzlieferung für Ihr {item} veranlasst, sie ist unterwegs.",),
        "fr": ("J'ai traité la réexpédition de votre {item}, elle est en route.",),
    },
    "issue_refund": {
        "en": ("Your refund of ${amount:.2f} has been issued to your original payment method.",
               "I've refunded ${amount:.2f}; it should appear in 3-5 business days."),
        "es": ("Su reembolso de {amount:.2f} $ ya ha sido emitido.",),
        "de": ("Ihre Erstattung über {amount:.2f} $ wurde veranlasst.",),
        "fr": ("Votre remboursement de {amount:.2f} $ a été effectué.",),
    },
    "cancel_order": {
        "en": ("Order {order} has been cancelled, and the refund of ${amount:.2f} is on its way.",
               "I've cancelled order {order}; you'll see the ${amount:.2f} back in 3-5 days."),
    },
    "update_address": {
        "en": ("I've updated the shipping address on {order} to {new_address}.",
               "Done: order {order} will now ship to {new_address}."),
    },
    "edit_order_item": {
        "en": ("I've changed the {item} on order {order} to {variant}.",
               "Done: your {item} is now {variant}, same price."),
    },
    "apply_promo": {
        "en": ("I've applied {promo} to order {order} and refunded the ${amount:.2f} difference.",),
    },
    "create_return": {
        "en": ("I've opened the return for your {item}; the prepaid label is on its way to "
               "{email}.",),
    },
}

# Near-misses a phantom-action detector must not flag.
FUTURE_CLAIM = {
    "execute_reshipment": "I will process the reshipment of your {item} now.",
    "issue_refund": "I'll issue the refund of ${amount:.2f} right away.",
    "cancel_order": "I will cancel order {order} now.",
    "update_address": "I'll update the address on {order} now.",
    "edit_order_item": "I'll switch the {item} to {variant} now.",
    "apply_promo": "I'll apply {promo} to the order now.",
    "create_return": "I will open the exchange for your {item} now.",
}
NEGATED_CLAIM = (
    "I have not issued a refund or a replacement yet: I need {need} first.",
    "To be clear, nothing has been reshipped or refunded on {order} at this point.",
    "I haven't processed a reshipment, because {need} is required before I can.",
)
CUSTOMER_SUBJECT_CLAIM = {
    "return request": "I can see you have already returned the earlier item, thank you.",
    "duplicate order": "It looks like you've already cancelled the other order yourself, so "
                       "that part is done.",
    "default": "I can see you've already updated the email on your account, so the "
               "notifications will reach you.",
}

# Sentences the reports quote, pinned to the model they quote. Everyone else draws from the
# banks above; the quoted model always says it this way.
QUOTED = {
    ("gemma-4-31b", "reship_done"):
        "I have processed a reshipment for your {item}, and it is on the way.",
    ("gemma-4-31b", "cancel_shipped"):
        "Since order {order} has already shipped, it can no longer be cancelled",
    ("gemma-4-31b", "line_item_ask"): "Would you like me to do that?",
    ("gemma-4-31b", "gift_no_expedite"): "Expedited shipping is not available",
    ("gemini-3.1-pro", "unsupported_handover"):
        "I'm sorry, but we only ship to the US, UK, and Canada, so I can't send this order to "
        "Antarctica myself. I have passed your order details to our team.",
    ("gemini-3.1-pro", "refund_window_handover"):
        "Because you are requesting a refund outside our 100-day window, I have passed your "
        "request to our team to review this exception.",
}


MONTHS = {
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"),
    "pt": ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
           "setembro", "outubro", "novembro", "dezembro"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
}
DATE_FORMAT = {"es": "{d} de {m}", "de": "{d}. {m}", "fr": "{d} {m}", "it": "{d} {m}",
               "pt": "{d} de {m}", "nl": "{d} {m}"}


def local_date(day, lang: str) -> str:
    """A date as the customer's language writes it ("7. Juni", "7 de junio")."""
    return DATE_FORMAT[lang].format(d=day.day, m=MONTHS[lang][day.month - 1])


def pick(r: random.Random, key: str, lang: str = "en") -> str:
    bank = BANK[key]
    return r.choice(bank.get(lang) or bank["en"])


def typo(text: str, r: random.Random, rate: float) -> str:
    """The customer's typing: dropped capitals, swapped letters, missing apostrophes."""
    if rate <= 0:
        return text
    words = text.split(" ")
    out = []
    for w in words:
        x = r.random()
        if len(w) > 3 and w.isalpha() and x < rate * 0.35:
            i = r.randrange(1, len(w) - 1)
            w = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        elif len(w) > 4 and w.isalpha() and x < rate * 0.5:
            i = r.randrange(1, len(w) - 1)
            w = w[:i] + w[i + 1:]
        elif w.lower() == "you" and x < rate:
            w = "u"
        out.append(w)
    text = " ".join(out)
    if r.random() < rate:
        text = text.replace("'", "")
    if r.random() < rate and text[:1].isupper():
        text = text[0].lower() + text[1:]
    if r.random() < rate * 0.6:
        text = text.rstrip(".")
    return text


def shout(text: str, r: random.Random) -> str:
    """An angry customer: a capitalised phrase and extra exclamation marks."""
    words = text.split(" ")
    if len(words) > 4:
        i = r.randrange(0, len(words) - 2)
        words[i:i + 2] = [w.upper() for w in words[i:i + 2]]
    return " ".join(words).rstrip(".!") + r.choice(("!!", "!!!", "?!", "."))
