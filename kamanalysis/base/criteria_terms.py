"""The criteria, competencies and organisation forms the engagement rates, kept apart.

Plain vocabulary with no dependencies, declared here so that :mod:`kamanalysis.base.schema`
stays one readable file; the schema re-exports every name (``schema.COMPETENCIES`` and so
on), and the loader, the template, the sample generator and the tools read them from there.

Examples
--------
>>> list(ATTRACTIVENESS_CRITERIA)[:3]
['volume', 'margin', 'growth']
>>> len(COMPETENCIES), ORGANISATION_FORMS[-1]
(10, 'key_account_department')
"""

from __future__ import annotations

#: Key-account attractiveness criteria (seeds 001, 004): name -> what a 5 means.
ATTRACTIVENESS_CRITERIA = {
    "volume": "sales volume with us, per year or quarter (5 = among our largest)",
    "margin": "average gross margin on the account (5 = well above our average)",
    "growth": "growth of purchases over recent periods (5 = fast growth)",
    "wallet_potential": "their category spend not yet with us (5 = large untapped share of wallet)",
    "credit": "creditworthiness and payment cycle (5 = pays reliably and fast)",
    "strategic_access": "access to their goals and openness to our ideas (5 = open, shared plans)",
}

#: Key-account manager competencies, rated on the general ``rating`` scale in ``managers``
#: (column ``comp_<name>``): name -> what it is and where the seeds ask for it.
COMPETENCIES = {
    "product_knowledge": "product and technical knowledge (seed 000: early KAM; "
    "seed 004: 业务知识)",
    "communication": "communication: listening and clear expression (seed 000: pre-KAM, listen "
    "before pitching; seed 004: 沟通能力)",
    "principled_negotiation": "principled negotiation, not haggling: interests, not positions "
    "(seed 000: early KAM; seed 003: 谈判原则)",
    "network_building": "relationship and network building across the account's departments and "
    "levels (seed 000: mid KAM)",
    "senior_access": "senior access and authority, with their management and ours (seed 000: mid "
    "KAM; seed 003: executive visits)",
    "coordination": "cross-functional coordination of our own departments (seed 000: "
    "partnership, the coordinator; seed 004: 协调能力)",
    "joint_planning": "strategic and joint long-term planning with the client's decision makers "
    "(seed 000: partnership KAM)",
    "financial_acumen": "financial and marketing acumen, consulting skills (seed 000: "
    "synergistic KAM; seed 004: 市场营销能力)",
    "process_it": "process design and IT understanding between the two firms (seed 000: "
    "partnership and synergistic KAM)",
    "integrity": "integrity and reliability: every promise kept (seed 000: early KAM; seed 004: "
    "信任和诚信)",
}

#: The three forms of key-account organisation (seed 002): a temporary team led by a senior
#: executive, a standing team of 3-5 under the sales director, a key-account department.
ORGANISATION_FORMS = ("temporary_team", "standing_team", "key_account_department")

#: Our relative strength at the account against competitors (seed 003).
STRENGTH_CRITERIA = {
    "price": "price competitiveness (5 = clearly better than competitors)",
    "quality": "product quality (5 = clearly better)",
    "service": "service and technical support (5 = clearly better)",
    "response": "speed of response (5 = clearly faster)",
    "relationship": "relationship and trust (5 = deep trust at several levels)",
    "innovation": "technical innovation (5 = clearly ahead)",
}
