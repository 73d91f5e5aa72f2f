"""The attributions a careful reader extracts, as (text, expected) cases, grouped by form.

Written from an error analysis of the model on held-out PolNeAR
train folds: each case is new text in a form that the analysis found (no
corpus text is copied).  The first cases of each group are
the plainest examples of its form.

``expected`` is a list of ``(source, cue, content)``:

* ``source``: the source text, ``None`` when there is none; ``"A|B"`` accepts either;
* ``cue``: the cue text;
* ``content``: the content text, or a list of pieces for a content interrupted by
  its own source and cue.

Texts are compared after trimming white space, quote marks and end punctuation
at the edges (as the scorer does) and a leading "that ".  ``[]`` means no
attribution at all.  A headline is the first line, then a blank line.
"""

from __future__ import annotations

NONE: list = []

REPORTED = [
    # a hedge with no source of its own ("is expected to") before the outlet that reports it
    ("Defence Minister Petra Halvorsen is expected to step down this week, the Nordic Ledger reported on Sunday.",
     [("the Nordic Ledger", "reported", "Defence Minister Petra Halvorsen is expected to step down this week")]),
    # the same hedge inside what a person said: part of what the person said, not an attribution of its own
    ("The chief executive, Laura Finch, is expected to announce the plan in March, the other person said.",
     [("the other person", "said", "The chief executive, Laura Finch, is expected to announce the plan in March")]),
    ("Police arrested two men on Friday, as reported by Reuters.", [("Reuters", "as reported by", "Police arrested two men on Friday")]),
    ("As reported by Reuters, police arrested two men on Friday.", [("Reuters", "As reported by", "police arrested two men on Friday")]),
    (
        "The factory will close in June, as first reported by the Financial Times.",
        [("the Financial Times", "as first reported by", "The factory will close in June")],
    ),
    (
        "As reported in The Guardian, the minister resigned on Monday.",
        [("The Guardian", "As reported in", "the minister resigned on Monday")],
    ),
    (
        "The mayor, as reported by local media, has left the country.",
        [("local media", "as reported by", ["The mayor", "has left the country"])],
    ),
    (
        "According to Reuters, citing two officials, the talks collapsed on Sunday.",
        [("Reuters", "According to", "the talks collapsed on Sunday")],
    ),
    (
        "The company is in talks to sell its stake, according to Bloomberg, citing people familiar with the matter.",
        [("Bloomberg", "according to", "The company is in talks to sell its stake")],
    ),
    (
        "Three soldiers were killed in the attack, the BBC reported, citing a military source.",
        [("the BBC", "reported", "Three soldiers were killed in the attack")],
    ),
    (
        "The deal is worth $2 billion, according to a statement from the company.",
        [("a statement from the company", "according to", "The deal is worth $2 billion")],
    ),
    # a colon relay the model alone misses ("X reports: ..."): the rule's reading
    ("The Eastbridge Courier reports: A senior official said inspectors had found no sign of forced entry.",
     [("The Eastbridge Courier", "reports", "A senior official said inspectors had found no sign of forced entry"),
      ("A senior official", "said", "inspectors had found no sign of forced entry")]),
    # a relay: the outlet's content holds the inner speaker's own cue (the model's nested-cue pass)
    ("Tass reports: The ministry claimed that at least a third of the supplies ended up with militants.",
     [("Tass", "reports", "The ministry claimed that at least a third of the supplies ended up with militants"),
      ("The ministry", "claimed", "that at least a third of the supplies ended up with militants")]),
]

#: A passive cue takes its agent as the source; the person a telling verb addresses is not content.
PASSIVE_AND_ADDRESSEE = [
    ("It was reported by Reuters that the talks had failed completely.", [("Reuters", "reported", "that the talks had failed completely")]),
    ("It was announced by the ministry that the border would reopen.", [("the ministry", "announced", "that the border would reopen")]),
    ("A reporter spoke to locals who told him the whole event was staged.", [("who|locals", "told", "the whole event was staged")]),
    ("Neighbours told her the building had been empty for years.", [("Neighbours", "told", "the building had been empty for years")]),
    # the passive subject of an addressee verb is the one asked, not what was said
    ("Shop owners on Main Street were never asked.", []),
    ("Residents were not told about the closure.", []),
]

#: A cue that hangs on a document ("ran stories casting doubt"): the document speaks for whoever issued it.
PUBLISHER = [
    ("AFP and the Independent also visited the site and ran stories casting doubt on whether the attack had taken place.",
     [("AFP and the Independent", "casting", "whether the attack had taken place")]),
    ("The agency released a statement saying that no one was hurt.", [("The agency", "released", "that no one was hurt")]),
    # the model's content stopped at "were": the content is carried to the end of its own clause
    ("The White House issued a statement that said the talks were productive.",
     [("The White House", "issued", "the talks were productive")]),
    # a document's relative clause speaks for whoever issued it, a pronoun too (resolved by the source grouping)
    ("He released a letter from his doctor that says he is in excellent health.",
     [("He", "says", "he is in excellent health")]),
]

REFUSAL = [
    ("The company did not respond to a request for comment.", NONE),
    ("A spokesman declined to comment.", NONE),
    (
        "One official, who asked not to be named, said the deal was off.",
        [("One official, who asked not to be named|One official", "said", "the deal was off")],
    ),
    ("A spokeswoman for the ministry declined to comment on the report.", NONE),
    ("The mayor did not immediately return calls seeking comment.", NONE),
    ("Officials could not be reached for comment on Sunday.", NONE),
    ("The senator refused to say whether she would run again.", NONE),
    ("Police declined to give details of the arrest.", NONE),
    ("He spoke on condition of anonymity because he was not authorized to discuss the talks.", NONE),
    ("The White House did not say when the meeting would take place.", NONE),
    ("The company did not deny the report.", NONE),
    ("The cause of the fire was not immediately known.", NONE),
    ("It was not clear whether the talks would resume.", NONE),
    ("The minister denied that he had lied to parliament.", [("The minister", "denied", "he had lied to parliament")]),
]

NON_SPEECH = [
    (
        "Council approves new budget\n\nThe city council approved the new budget on Tuesday, Mayor Ann Lee said.",
        [("Mayor Ann Lee", "said", "The city council approved the new budget on Tuesday")],
    ),
    ("The plant had been cited for safety violations in 2019.", NONE),
    ("The governor ordered an evacuation of the coastal towns.", NONE),
    ("Parliament voted to extend the state of emergency.", NONE),
    ("The president signed the bill into law on Friday.", NONE),
    ("The board approved the merger last week.", NONE),
    ("The judge ordered the company to pay damages.", NONE),
    ("The restaurant was cited for health code violations twice last year.", NONE),
    ("The Senate passed the measure by a vote of 60 to 40.", NONE),
    ("Regulators fined the bank $5 million.", NONE),
    ("Orbitron plans to cut 2,000 jobs", NONE),  # an intention the writer states, not speech
    ("The company intends to sell its stake in the venture.", NONE),
    # rejecting a claim is a denial, which is speech; rejecting a plan is an act
    ("The foreign ministry rejected the accusation on Thursday.", [("The foreign ministry", "rejected", "the accusation")]),
    ("The council rejected the budget on Thursday.", NONE),
    ("Pop singer Lana Brooks has quietly called off her wedding to footballer Marco Diaz.", NONE),
    ("The senator, 61, is seeking a third term in November.", NONE),  # a candidacy, not speech
    # a comparison the writer draws is no report of speech
    ("\"This is the most important decision,\" Councilwoman Maria Lopez said last week, as if saying it made it so.",
     [("Councilwoman Maria Lopez", "said", "This is the most important decision,")]),
    # the question put to the subject is no one's speech; the answer is
    ("Asked about his health, Hendry laughed.", NONE),
    ("Asked about his health, Hendry said he walks four miles a day.", [("Hendry", "said", "he walks four miles a day")]),
    ("The mayor vetoed the ordinance, saying it was unconstitutional.", [("The mayor", "saying", "it was unconstitutional")]),
    # sending is an act unless what is sent holds a clause (a PolNeAR headline read as a user, through claim trails)
    ("Top Clinton adviser sent 'top secret' messages to her private account.", NONE),
    ("The ministry sent a letter saying the talks were over.", [("The ministry", "sent", "the talks were over")]),
    ("He sent word that he would resign.", [("He", "sent", "he would resign")]),
    # what someone should or must do has not been said (an opinion piece's recommendation)
    ("The council should demand an independent review before a single dollar is spent.", NONE),
    ("The mayor must explain the delay.", NONE),
    ("He must have said the deal was dead.", [("He", "said", "the deal was dead")]),
    # an infinitive of purpose without a clause plans an act: nobody has said anything yet (a blog headline
    # read through claim trails); a past accusation and "declined to say whether ..." stay speech
    ("Rebels are preparing a chemical attack in Idlib to blame on the government", NONE),
    ("Rebel groups are preparing a chemical attack in Idlib province to blame on government forces.", NONE),
    ("The ministry blamed the attack on rebels.", [("The ministry", "blamed", "the attack on rebels")]),
    # a document states its findings without a clause; anyone else's showing is an act
    ("Polls show a close contest in the state.", [("Polls", "show", "a close contest in the state")]),
    ("The governor showed great courage.", NONE),
    # naming someone to a role is an appointment; naming reasons is what was said
    ('Marla Quinn named new host of "Late Hour"\n\nQuinn will start in April.', NONE),
    ('He named three reasons for leaving: "money, family and the commute."',
     [("He", "named", 'three reasons for leaving: "money, family and the commute."')]),
]

OWN_CUE = [
    (
        "“The fire started in the kitchen,” police spokesman Jonas Keller told reporters on Tuesday."
        " “Three people were taken to hospital.”",
        [("police spokesman Jonas Keller", "told", ["The fire started in the kitchen", "Three people were taken to hospital"])],
    ),
    ("“We will appeal,” the lawyer said.", [("the lawyer", "said", "We will appeal")]),
    ("“The plan is dead,” she said, “and nobody will revive it.”", [("she", "said", ["The plan is dead", "and nobody will revive it"])]),
    ("The plan, the minister said, would cost billions.", [("the minister", "said", ["The plan", "would cost billions"])]),
    ("“Prices will rise,” the central bank warned in a statement on Monday.", [("the central bank", "warned", "Prices will rise")]),
    (
        "“It was chaos,” said Maria Lopez, a nurse at the hospital.",
        [("Maria Lopez, a nurse at the hospital|Maria Lopez", "said", "It was chaos")],
    ),
]

APPOSITIVE = [
    (
        "The café owner, René Dupont, said the street had been closed since dawn.",
        [("The café owner, René Dupont", "said", "the street had been closed since dawn")],
    ),
    ("Its chief executive, Dana Okoro, said profits would fall.", [("Its chief executive, Dana Okoro", "said", "profits would fall")]),
    (
        "Jane Roe, a spokeswoman for the city, said the roads would reopen on Monday.",
        [("Jane Roe, a spokeswoman for the city|Jane Roe", "said", "the roads would reopen on Monday")],
    ),
    ("A neighbour, Tom Baker, told police he had heard shots.", [("A neighbour, Tom Baker", "told", "he had heard shots")]),
    (
        "Sarah Lin, the hospital's director, said two patients were in critical condition.",
        [("Sarah Lin, the hospital's director|Sarah Lin", "said", "two patients were in critical condition")],
    ),
    (
        "The report's author, Ian Hall, said the findings were clear.",
        [("The report's author, Ian Hall", "said", "the findings were clear")],
    ),
]

ONE_OF = [
    (
        "Two people familiar with the matter said the talks had stalled. One of the people said a deal was unlikely before June.",
        [
            ("Two people familiar with the matter", "said", "the talks had stalled"),
            ("One of the people", "said", "a deal was unlikely before June"),
        ],
    ),
    (
        "Three officials said the plan was drawn up in May. One of the officials said it would cost $3 billion.",
        [("Three officials", "said", "the plan was drawn up in May"), ("One of the officials", "said", "it would cost $3 billion")],
    ),
    (
        "Several residents said they heard explosions. One of them said the shelling lasted an hour.",
        [("Several residents", "said", "they heard explosions"), ("One of them", "said", "the shelling lasted an hour")],
    ),
    (
        "Two diplomats briefed on the talks said progress was slow. Another of the diplomats said the sides were far apart.",
        [
            ("Two diplomats briefed on the talks", "said", "progress was slow"),
            ("Another of the diplomats", "said", "the sides were far apart"),
        ],
    ),
]

SPOKESPERSON = [
    ("An Orbitron spokeswoman said the chip was safe.", [("An Orbitron spokeswoman", "said", "the chip was safe")]),
    (
        "A spokesman for the Interior Ministry said the border would stay closed.",
        [("A spokesman for the Interior Ministry", "said", "the border would stay closed")],
    ),
    ("A Pentagon spokesperson said the review was under way.", [("A Pentagon spokesperson", "said", "the review was under way")]),
    (
        "Acme's spokesman, Paul Green, said the recall was voluntary.",
        [("Acme's spokesman, Paul Green", "said", "the recall was voluntary")],
    ),
    ("A company spokeswoman declined to comment.", NONE),
    ("A spokesman for Acme Corp told Reuters the plant would close.", [("A spokesman for Acme Corp", "told", "the plant would close")]),
]

#: A speaker quoted inside another speaker's quotation ("Our intelligence ... says that ..."): the inner
#: "X says that ..." is a nested attribution; a first-person "I say" inside a quote is the speaker itself.
NESTED = [
    ("“Our sources in the region say that the convoy left at dawn,” the ministry said in a statement.",
     [("the ministry", "said", "Our sources in the region say that the convoy left at dawn"),
      ("Our sources in the region", "say", "the convoy left at dawn")]),
    ("“The inspectors told us that the dam had cracked,” the governor said.",
     [("the governor", "said", "The inspectors told us that the dam had cracked"),
      ("The inspectors", "told", "the dam had cracked")]),
    ("“I say that we must act now,” the senator said.",
     [("the senator", "said", "I say that we must act now")]),
]

#: A wire sentence relayed by an outlet the model does not know (issue: relayed wire sentences).  The
#: outlet opens the paragraph, after a headline ("Title here"), as in the seed article: the outlet is the
#: cue's subject; a relay frame ("Rt.com reports:") is no part of a trailing speaker's content, and the
#: outlet reports the whole clause, trailing speaker and all.
WIRE = "rebel groups were preparing a chemical attack in Idlib province"
RELAY_FRAME = [
    (f"Title here\n\nRt.com reports that {WIRE}.", [("Rt.com", "reports", WIRE)]),
    (f"Title here\n\nRT reports that {WIRE}.", [("RT", "reports", WIRE)]),
    (f"Title here\n\nRt.com reported that {WIRE}.", [("Rt.com", "reported", WIRE)]),
    (f"Title here\n\nRt.com said that {WIRE}.", [("Rt.com", "said", WIRE)]),
    (f"Title here\n\nReuters reports that {WIRE}.", [("Reuters", "reports", WIRE)]),
    (f"Title here\n\nTass reports that {WIRE}.", [("Tass", "reports", WIRE)]),
    (f"Title here\n\nRt.com reports: {WIRE}, the Defence Ministry said.",
     [("Rt.com", "reports", f"{WIRE}, the Defence Ministry said"), ("the Defence Ministry", "said", WIRE)]),
    (f"Title here\n\nReuters reports: {WIRE}, the Defence Ministry said.",
     [("Reuters", "reports", f"{WIRE}, the Defence Ministry said"), ("the Defence Ministry", "said", WIRE)]),
    ("Title here\n\nAccording to Rt.com, the Defence Ministry said rebel groups were preparing a chemical attack.",
     [("Rt.com", "According to", "the Defence Ministry said rebel groups were preparing a chemical attack"),
      ("the Defence Ministry", "said", "rebel groups were preparing a chemical attack")]),
    (f"On Monday, Rt.com reported that {WIRE}.", [("Rt.com", "reported", WIRE)]),
]

GROUPS = {
    "nested": NESTED,
    "passive_addressee": PASSIVE_AND_ADDRESSEE,
    "publisher": PUBLISHER,
    "reported": REPORTED,
    "refusal": REFUSAL,
    "non_speech": NON_SPEECH,
    "own_cue": OWN_CUE,
    "appositive": APPOSITIVE,
    "one_of": ONE_OF,
    "spokesperson": SPOKESPERSON,
    "relay_frame": RELAY_FRAME,
}
