"""Sources as entities a fact-checker can count, through the whole pipeline: who really said it, each voice
once, the right kind, relays and citations.  Each case is a rewrite of an error a careful reader found in real
articles (wire copy, a celebrity rumour relayed from Variety, a tabloid, an eyewitness story, a profile, a
council story with two speakers, an accusation against a state, a multi-paragraph quote)."""

from __future__ import annotations

import pytest

from newsaudit.extensions import register_extensions
from newsaudit.types import Attribution, Span


def _doc(nlp, text):
    return nlp(text)


def _source_of(doc, words: str):
    """The source of the attribution whose content holds ``words``."""
    by_id = {s.id: s for s in doc._.sources}
    att = next(a for a in doc._.attributions if words in a.content.text or any(words in p.text for p in a.content_pieces))
    return by_id[att.source_id] if att.source_id else None


def _source_name(doc, words: str) -> str:
    """The name of the source of the attribution whose content holds ``words``; it must have one."""
    source = _source_of(doc, words)
    assert source is not None, words
    return source.name


# --------------------------------------------------------------------------- who really said it

SPEAKERS = [
    # "He said ..." after a woman spoke and a man was named: the man, not "Transport chief Maria Lopez"
    (("Transport chief Maria Lopez said the bridge would close in May. The survey behind the decision was led by "
      "engineer Tom Reed. He said the figures had been collected over only three weeks.\n\n"
      "\"We need a full year of data before we decide anything,\" he said.",
      ["the figures had been collected", "We need a full year of data"]), "Tom Reed"),
    # "she" of an e-mail story is Hillary Clinton, not Obama
    (("President Barack Obama said on Tuesday that the inquiry was over. Hillary Clinton's emails had been reviewed "
      "for months by the FBI. She said she had never sent classified material.", ["she had never sent"]), "Hillary Clinton"),
    # "She added", "she explained": the designer, not the outlet Fashionista
    (("Fashionista reported that designer Anna Wu will leave the label. \"It was time,\" she told the site. She added "
      "that her next collection would come out in May, and she explained that she wanted more freedom.",
      ["It was time", "her next collection", "she wanted more freedom"]), "Anna Wu"),
    # a speaker change: "she added" goes back to the woman who spoke before
    (("Transport chief Maria Lopez said the bridge would close. Councillor Tom Reed questioned the plan. Lopez defended "
      "the survey. \"The bridge is unsafe now,\" she said.", ["The bridge is unsafe now"]), "Maria Lopez"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a pronoun in a fronted clause with no subject looks ahead to the sentence's subject, not the last speaker
        (("Senator Paul Hendry was a dairy farmer before he was a politician.\n\nHendry's campaign manager, Luke "
          "Brandt, dismissed the polls. \"We have been behind before,\" Brandt said.\n\nAsked about his health, Hendry "
          "laughed. \"I walk four miles a day,\" he said."), ("his", "Paul Hendry")),
    ],
)
def test_sources_entities_fronted_clause_pronoun_is_the_subjects(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text)
    at = text.index("Asked about ") + len("Asked about ")
    owner = [s.name for s in doc._.sources for m in s.mentions if m.start == at and m.text == expected[0]]
    assert owner == [expected[1]], [(s.name, [m.text for m in s.mentions]) for s in doc._.sources]


@pytest.mark.parametrize(("text", "expected"), SPEAKERS)
def test_sources_entities_speaker_agrees_in_gender(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text[0])
    for words in text[1]:
        source = _source_of(doc, words)
        assert source is not None, (words, source)
        assert source.name == expected, (words, source)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a quoted excerpt (a paragraph opened with a straight mark and left unclosed) is narration: its names are
        # antecedents of the pronouns after it, and it does not run on into the curly-quoted speech that follows
        (("The Post profiled a supporter of the candidate.\n\n\"Melanie thought the whole thing was outrageous. She "
          "was anxious, sure. But she was not ill.\n\n\u201cIt never crossed my mind that I was losing it,\u201d she "
          "said months later.", "never crossed my mind"), "Melanie"),
        # a one-word first name tells its gender: "she" is not Kevin
        (("Melanie watched the convention at home. Kevin was snoring.\n\n"
          "\u201cHere he is, babe,\u201d she said.", "Here he is"), "Melanie"),
        # a one-word name after a capitalised word is a surname ("Amelize Joseph"): no first name's gender
        (("Amelize Joseph loves the public school. \u201cWe need the money for the school,\u201d said Joseph, who has "
          "four children. She said the state owed the school millions.", "the state owed"), "Joseph"),
        # a definite description by title after a sentence naming one person stands for that person
        (("Hillary Clinton plans to call on young people to serve.\n\nThe campaign says the Democratic presidential "
          "candidate will announce plans Friday for a new national program.\n\nShe said the program would be open to "
          "everyone.", "the program would be open"), "Hillary Clinton"),
    ],
)
def test_sources_entities_pronoun_after_an_excerpt_a_first_name_or_a_title(audit_nlp, text, expected):
    assert _source_name(_doc(audit_nlp, text[0]), text[1]) == expected


def test_sources_entities_possessive_is_no_source_of_its_own(bare_nlp):
    """"his" as a speaker is whom it refers to, never a source named "his"."""
    from newsaudit.components.sources import build_sources

    register_extensions()
    text = "Donald Trump spoke in Ohio on Monday. In his view, the election was rigged."
    doc = bare_nlp(text)
    his = text.index("his")
    content = text.index("the election")
    att = Attribution("a1", "indirect", Span(content, len(text) - 1, text[content:-1]), Span(his, his + 3, "his"),
                      Span(text.index("view"), text.index("view") + 4, "view"))
    sources, updated = build_sources(doc, (att,))
    assert [s.name for s in sources] == ["Donald Trump"]
    assert updated[0].resolved_source is not None
    assert updated[0].resolved_source.text == "Donald Trump"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "they" of an organisation that is a source: the company, which "they said" goes on about
        ("The Acme Corporation said on Monday that its profits had doubled. The company pointed out that thousands of "
         "customers had signed up in May. They said more would follow.", "The Acme Corporation"),
        # the body that spoke just before, not the plural it merely mentions
        ("The Acme Corporation said on Monday that it had hired hundreds of engineers in May. They said more would "
         "follow.", "The Acme Corporation"),
        # a body that spoke just before, not a plural source further back (a headline's "World leaders")
        ("World leaders denounce N. Korea test.\n\nThe United Nations Security Council on Friday condemned North Korea's "
         "nuclear test.\n\nFollowing a late meeting, the Security Council issued a statement calling the test a clear "
         "violation.\n\n\"The members of the council will act, and more would follow,\" they said.",
         "The United Nations Security Council"),
        ("Union leaders say the plan is unfair.\n\nThe city council on Monday said the plan would save money.\n\nThe "
         "council said the budget was tight. \"We will cut costs, and more would follow,\" they said.", "The city council"),
    ],
)
def test_sources_entities_they_of_an_organisation(audit_nlp, text, expected):
    assert _source_name(_doc(audit_nlp, text), "more would follow") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a headline's name is no bare description: it joins no other name of its kind
        ("Politifact: Donald Trump Is Right About Shootings.\n\nPolitifact checked the claim on Monday. The transcript of "
         "the debate, published by The Washington Post, shows that Trump spoke of thousands of shootings. Politifact said "
         "the claim was true.", ["Politifact", "The transcript of the debate, published by The Washington Post"]),
        # nor an indefinite description, someone new
        ("Trump urges supporters to vote early.\n\nA Homeland Security Department official said on Friday that the "
         "systems were safe. Donald Trump said the election was rigged.",
         ["A Homeland Security Department official", "Donald Trump"]),
    ],
)
def test_sources_entities_headline_name_joins_no_other_source(audit_nlp, text, expected):
    assert sorted(s.name for s in _doc(audit_nlp, text)._.sources) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a relative pronoun after an apposition: the name the apposition describes
        (("Obama has had a frosty relationship with McConnell, now the Senate majority leader, who in 2010 said the "
          "GOP's most important goal was to make Obama a one-term president.", "the GOP's most important goal"),
         "McConnell"),
        # a relative pronoun the parser hangs on no noun: the noun phrase right before it
        (("Politifact then pointed out that one shooting may have more than one victim.\n\nTo solve this quandary, they "
          "turned to the Chicago Police Department which reported “2,521 shooting incidents” in the city between "
          "January 1 and September 18.", "2,521"), "the Chicago Police Department"),
    ],
)
def test_sources_entities_relative_pronoun_speaker(audit_nlp, text, expected):
    assert _source_name(_doc(audit_nlp, text[0]), text[1]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Trump" tagged an organisation first, a person next: a man "his" may refer to, not a body of no sex
        (("ORG", "PERSON"), "Trump"),
        (("PERSON", "PERSON"), "Trump"),
    ],
)
def test_sources_entities_person_first_taken_for_a_body(bare_nlp, text, expected):
    from spacy.tokens import Span as SpacySpan

    from newsaudit.components.sources import build_sources

    register_extensions()
    body = ("My father said he would vote. Trump said there are people who think so. Trump said so again on Monday. "
            "His message elevates hate.")
    doc = bare_nlp(body)
    trumps = [t for t in doc if t.text == "Trump"]
    doc.ents = [SpacySpan(doc, t.i, t.i + 1, label) for t, label in zip(trumps, text, strict=True)]

    def at(words: str, after: int = 0) -> Span:
        i = body.index(words, after)
        return Span(i, i + len(words), words)

    second = body.index("Trump", body.index("Trump") + 1)
    atts = (Attribution("a1", "indirect", at("he would vote"), at("My father"), at("said")),
            Attribution("a2", "indirect", at("there are people who think so"), at("Trump"), at("said", 30)),
            Attribution("a3", "indirect", at("so again"), at("Trump", second), at("said", second)),
            Attribution("a4", "indirect", at("elevates hate"), at("His"), at("message")))
    sources, updated = build_sources(doc, atts)
    names = {s.id: s.name for s in sources}
    assert names[updated[-1].source_id] == expected


def test_sources_entities_cited_people_are_not_their_employer(audit_nlp):
    """"The officials" after the people an outlet cited are those people; "The government" is not."""
    doc = _doc(audit_nlp, "Halvorsen is expected to step down, the Nordic Ledger reported, citing two government officials. "
                          "The government said it would not comment. The officials told the Ledger a successor could be named.")
    [cited] = [s for s in doc._.sources if s.name == "two government officials"]
    assert [m.text for m in cited.mentions] == ["two government officials", "The officials"]


def test_sources_entities_company_spokeswoman_is_she(audit_nlp):
    """"She declined to say ..." after a company's spokeswoman is the spokeswoman, a person speaking for a body."""
    doc = _doc(audit_nlp, "A spokeswoman for FastFreight, which owns the truck, said the company was cooperating. "
                          "She declined to say whether the driver had been disciplined.")
    [source] = [s for s in doc._.sources if s.name == "A spokeswoman for FastFreight"]
    assert "She" in [m.text for m in source.mentions]


# --------------------------------------------------------------------------- one voice, counted once

ONE_VOICE = [
    (("Screenwriter Aaron Sorkin has left the project, a spokesman for the studio said. Sorkin, 55, said in a statement "
      "that he wished the team well.", ["Aaron Sorkin", "Sorkin"])),
    (("Senator Paul Hendry has spent two decades in Washington. The senator said on Friday that he would seek a fourth "
      "term. \"I am not done,\" Hendry said.", ["The senator", "Hendry"])),
    (("A Canadian man by the name of Jeff said he saw the plane fall from the sky. \"It just dropped, there was no smoke, "
      "nothing,\" the witness said. The eyewitness said he called emergency services right away.",
      ["A Canadian man by the name of Jeff", "the witness", "The eyewitness"])),
    (("Christian Bale is in talks to star in the film, Variety reported. Bale said he was honoured. \"I have wanted "
      "this role for years,\" Bale himself said.", ["Bale", "Bale himself"])),
    # an unnamed insider described twice: "a staff member ... the employee"
    (("The singer has called off her wedding, according to a staff member at the couple's home. \"They have not "
      "spoken in weeks,\" the employee told the Daily Comet.", ["a staff member", "the employee"])),
    # the headline's "insider" is the body's unnamed staff member
    (("Star's wedding called off, insider claims\n\nThe singer has called off her wedding, according to a staff "
      "member at the couple's home.", ["insider", "a staff member"])),
]


@pytest.mark.parametrize(("text", "mentions"), ONE_VOICE)
def test_sources_entities_one_voice_is_one_source(audit_nlp, text, mentions):
    doc = _doc(audit_nlp, text)
    owners = {s.id for s in doc._.sources for m in s.mentions if any(m.text.startswith(x) for x in mentions)}
    assert len(owners) == 1, [(s.name, [m.text for m in s.mentions]) for s in doc._.sources]
    [owner] = [s for s in doc._.sources if s.id in owners]
    assert all(any(x in m.text for m in owner.mentions) for x in mentions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a definite description right after a sentence that names one person: that person
        ("Hillary Clinton spoke in Ohio. Donald Trump said on Monday that the economy was weak. The GOP candidate said "
         "taxes would fall.", [["Donald Trump", "The GOP candidate"]]),
        # a second person named in between: no guess
        ("Donald Trump said on Monday that the economy was weak. Hillary Clinton disagreed. The GOP candidate said taxes "
         "would fall.", [["Donald Trump"], ["The GOP candidate"]]),
    ],
)
def test_sources_entities_description_goes_on_about_the_person_before(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text)
    assert sorted([m.text for m in s.mentions] for s in doc._.sources) == expected


# --------------------------------------------------------------------------- the right kind

KINDS = [
    # a relative clause after the company's name hides nothing: the company's spokeswoman is its voice
    ("A spokeswoman for FastFreight, which owns the truck, said the company was cooperating with investigators.",
     ("A spokeswoman for FastFreight", "organisation", "described")),
    ("Christian Bale will star in the film, Variety reported on Thursday.", ("Variety", "outlet", "named")),
    ("Anna Wu will leave the label, Fashionista reported.", ("Fashionista", "outlet", "named")),
    ("\"We have raised $4 million,\" Clinton campaign manager Robby Mook said.", ("Robby Mook", "official", "named")),
    ("NYPD Commissioner James O'Neill said the suspect had been arrested.", ("James O'Neill", "official", "named")),
    ("Kremlin spokesman Dmitry Peskov said the claims were absurd.", ("Dmitry Peskov", "official", "named")),
    # the seed's witnesses: described or anonymous, never named
    ("Russian Reconciliation Center received a tip-off from a local resident who said preparations were underway.",
     ("a local resident", "witness", "described")),
    ("A reporter from German public broadcaster ZDF spoke to locals who told him the whole event was staged.",
     ("locals", "witness", "anonymous")),
    ("None of the patients showed any symptoms, witnesses said.", ("witnesses", "witness", "anonymous")),
    # a private person who tells what they saw or heard is a witness; one who gives a view is a person
    ("\"I saw a fireball rise above the roof,\" said Tomas Reyes, who was driving past.",
     ("Tomas Reyes", "witness", "named")),
    ("A neighbour, Ann Kerr, said she heard three explosions before the sirens.", ("Ann Kerr", "witness", "named")),
    ("\"I think the plant should close,\" said Tomas Reyes, who was driving past.", ("Tomas Reyes", "person", "named")),
    # a place named inside the description is no body the person works for ("at the couple's London home")
    ("The wedding is off, according to a staff member at the couple's London home.",
     ("a staff member at the couple's London home", "person", "described")),
    # an employee with no employer named is a person, not an organisation
    ("\"They have not spoken in weeks,\" an employee told the paper.", ("an employee", "person", "described")),
    # the representative of a singer the article names speaks as a private person, not as an organisation
    ("Pop singer Lana Brooks has called off her wedding. A representative for Brooks said the couple wanted privacy.",
     ("A representative for Brooks", "person", "described")),
    # "His rival, state treasurer Alicia Moreno": the apposition names her
    ("Senator Paul Hendry is seeking a third term. His rival, state treasurer Alicia Moreno, said Hendry had done "
     "nothing.", ("Alicia Moreno", "official", "named")),
    ("Hackers broke into the network, the company said. The utility said the water supply had remained safe.",
     ("The utility", "organisation", "described")),
    # an outlet's own capitalised name after "The" is a name, not a capitalised description
    ("The Eastbridge Courier reports: A senior official said inspectors had found no sign of forced entry.",
     ("The Eastbridge Courier", "outlet", "named")),
    # "One of them" is one of the people "them" refers to
    ("Shop owners on Main Street were never asked. One of them, who did not want her name printed, told me she had "
     "learned of the plan from a flyer.", ("One of them", "person", "anonymous")),
    # the tagger puts "Comedian" inside the name; her representative still speaks for a private person
    ("Comedian Marla Quinn will reportedly host the show. A representative for Quinn denied the report on Tuesday.",
     ("A representative for Quinn", "person", "described")),
    # an indefinite apposition says what kind of body a name is: "Council" alone would make it official
    ("The Calorie Control Council, an industry group, said the sweetener had been approved as safe.",
     ("The Calorie Control Council, an industry group", "organisation", "named")),
    # a spokeswoman for "the owner" takes the role of the owner the apposition names
    ("The mall will remain closed on Sunday, a spokeswoman for the owner, Westfield Properties, said in a statement.",
     ("Westfield Properties", "organisation", "named")),
]


@pytest.mark.parametrize(("text", "expected"), KINDS)
def test_sources_entities_role_and_identity(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text)
    got = {s.name: (s.role, s.identity) for s in doc._.sources}
    assert got.get(expected[0]) == expected[1:], got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the text says the source asked not to be named, at a later mention: anonymous, not described
        (("A staff member at the couple's home said the wedding was off. \"They have not spoken in weeks,\" the "
          "employee, who did not want to be named, told the Daily Comet."), ("A staff member at the couple's home",
                                                                              "anonymous")),
        (("A staff member at the couple's home said the wedding was off. \"They have not spoken in weeks,\" the "
          "employee told the Daily Comet."), ("A staff member at the couple's home", "described")),
        # the phrase belongs to someone in the next paragraph, not to the council's mention before it
        (("The council will tell you the lanes are about commuters, as if saying it made it so.\n\nOne of them, who "
          "did not want her name printed, told me she had learned of the plan from a flyer."), ("The council",
                                                                                                   "described")),
    ],
)
def test_sources_entities_asked_not_to_be_named_is_anonymous(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text)
    got = {s.name: s.identity for s in doc._.sources}
    assert got.get(expected[0]) == expected[1], got


def test_sources_entities_summary_counts_voices_by_identity(audit_nlp):
    """The seed's witnesses are counted: not "4 named, 1 anonymous" but every voice by identity."""
    from newsaudit.pipeline import analyze
    from newsaudit.types import Article

    text = ("A local resident said the attack was staged. Locals told reporters nothing had happened. None of the "
            "patients showed symptoms, witnesses said. The ministry's spokesman, Colonel Arif Demir, said the report "
            "was false. The ministry said it had proof.")
    summary = analyze(Article(body=text)).summary
    by_identity = summary["voices_by_identity"]
    assert by_identity["described"] >= 1
    assert by_identity["anonymous"] >= 2
    assert summary["independent_voices"] == sum(by_identity.values())
    assert summary["independent_voices"] < summary["sources"]  # the spokesman is the ministry's voice


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the headline's "Witnesses" sums up the two witnesses the body quotes: two voices, not three
        (("Witnesses describe fireball at chemical plant\n\n\"I saw a fireball rise above the roof,\" said Tomas "
          "Reyes, who was driving past. A woman who lives across the road, and who asked not to be named, said she "
          "heard three explosions."), 2),
        # one witness in the body: the headline's witnesses may be others
        (("Witnesses describe fireball at chemical plant\n\n\"I saw a fireball rise above the roof,\" said Tomas "
          "Reyes, who was driving past."), 2),
    ],
)
def test_sources_entities_headline_summary_is_no_voice_of_its_own(text, expected):
    from newsaudit.pipeline import analyze
    from newsaudit.types import Article

    headline, body = text.split("\n\n", 1)
    report = analyze(Article(body=body, headline=headline))
    assert report.summary["independent_voices"] == expected
    summing = [s for s in report.sources if s.sums_up]
    by_id = {s.id: s for s in report.sources}
    if "A woman" in body:  # the headline's "Witnesses" says whom it sums up
        assert [s.name for s in summing] == ["Witnesses"]
        assert [by_id[i].role for i in summing[0].sums_up] == ["witness", "witness"]
    else:
        assert summing == []


# --------------------------------------------------------------------------- relays and citations

WIRE = ("CHISINAU, Moldova (Reuters) - Moldova's defence ministry said on Tuesday that Russian troops had crossed into "
        "Transnistria, citing an unnamed source in the Transnistrian security services.\n\n"
        "\"We have seen columns of armoured vehicles moving west,\" the ministry's spokesman, Colonel Arif Demir, told "
        "reporters.\n\n"
        "According to a report by the Reuters news agency, the troops numbered about 400.\n\n"
        "Ukraine's military said it had raised its alert level, citing reports from army field commanders.")

POLICE = ("Two injured as truck hits bus shelter in Millbrook, police say\n\nTwo people were injured on Tuesday when a "
          "delivery truck struck a bus shelter, police said.\n\nThe driver was taken into custody, according to a "
          "police statement. Police Chief Daniel Ortiz said both victims were in stable condition.")

RELAYS = [
    # (text, (source name, its link, the name the link points to))
    ((WIRE, ("an unnamed source in the Transnistrian security services", "cited_by", "Moldova's defence ministry"))),
    ((WIRE, ("army field commanders", "cited_by", "Ukraine's military"))),
    ((WIRE, ("Colonel Arif Demir", "speaks_for", "Moldova's defence ministry"))),
    (("Russian Reconciliation Center received a tip-off from a local resident who said possible preparations for a "
      "provocation were underway. The Russian military said the rebels had chlorine.",
      ("a local resident", "cited_by", "The Russian military"))),
    (("Christian Bale is in final talks to play Steve Jobs, according to Variety. The trade paper cited unnamed "
      "sources close to the production.",
      ("unnamed sources close to the production", "cited_by", "Variety"))),
    # a relative clause inside the outlet's mention cites the people behind its report
    (("Quinn is in final negotiations with the network, according to the trade paper Screen Daily, which cited two "
      "people familiar with the talks.", ("two people familiar with the talks", "cited_by", "the trade paper Screen "
                                                                                           "Daily"))),
    # a participle that only describes a noun ("the ruling party") leaves the cited source a source
    (("Halvorsen may be moved to another ministry, according to the state broadcaster NRB, which cited a source close "
      "to the ruling party.", ("a source close to the ruling party", "cited_by", "the state broadcaster NRB"))),
    # "The officials" after the people the paper cited are those people
    (("Halvorsen is expected to step down this week, the Nordic Ledger reported on Sunday, citing two government "
      "officials who spoke on condition of anonymity. The officials told the Ledger that a successor could be named "
      "on Wednesday.", ("two government officials", "cited_by", "the Nordic Ledger"))),
    # a police chief and a police statement are the voice of the police the headline and the body quote
    ((POLICE, ("Daniel Ortiz", "speaks_for", "police"))),
    ((POLICE, ("a police statement", "speaks_for", "police"))),
    # a state's ministry is the state's voice when the state speaks too: one voice, not two
    (("The Russian Defense Ministry said the rebels had chlorine. Russia has repeatedly said that such attacks are "
      "staged.", ("The Russian Defense Ministry", "speaks_for", "Russia"))),
]


@pytest.mark.parametrize(("text", "expected"), RELAYS)
def test_sources_entities_citations_and_voices(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text)
    by_name = {s.name: s for s in doc._.sources}
    by_id = {s.id: s for s in doc._.sources}
    source = by_name[expected[0]]
    link = getattr(source, expected[1])
    links = [(s.name, s.cited_by, s.speaks_for) for s in by_name.values()]
    assert link is not None, links
    assert by_id[link].name == expected[2], links


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the cited are a source below the citer, never what was said
        ("Bale is in talks to play Jobs, according to Variety. The trade paper cited unnamed sources close to the "
         "production.", []),
        ("The ministry cited Colonel Arif Demir.", []),
        # a cited document that holds a clause is still what was said
        ("The ministry cited a report that showed troops had crossed the border.",
         ["a report that showed troops had crossed the border"]),
    ],
)
def test_sources_entities_finite_citation_is_no_content(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text)
    assert [a.content.text for a in doc._.attributions if a.cue is not None and a.cue.text == "cited"] == expected


def test_sources_entities_report_by_an_outlet_is_the_outlet(audit_nlp):
    doc = _doc(audit_nlp, WIRE)
    names = [s.name for s in doc._.sources]
    assert "the Reuters news agency" in names
    assert not any(n.startswith("a report") for n in names)


def test_sources_entities_told_an_outlet_is_its_channel(audit_nlp):
    text = ("The activist Jane Lin raised $40,000 for the group. \"We are starting a new chapter,\" Lin told Gawker "
            "on Monday.")
    doc = _doc(audit_nlp, text)
    by_id = {s.id: s for s in doc._.sources}
    att = next(a for a in doc._.attributions if "new chapter" in a.content.text)
    assert att.relayed_by is not None
    assert by_id[att.relayed_by].name == "Gawker"
    (root,) = doc._.relay_chains
    assert root.path() == ["article", "Gawker", "Jane Lin"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the study's authors are its voice: one study, not three independent voices
        (("A sweetener may be linked to memory problems, according to a study published on Monday. The authors "
          "cautioned that the study shows an association. \"We cannot say it causes memory loss,\" said Dr. Priya "
          "Natarajan, the study's lead author."), {"The authors", "Dr. Priya Natarajan"}),
        # an author of something else (a book) is no voice of the one document the article quotes
        (("An earlier version of this article misstated the date, a correction said. The New Jim Crow author Michelle "
          "Alexander said prisons had grown."), set()),
    ],
)
def test_sources_entities_authors_speak_for_their_document(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text)
    by_id = {s.id: s for s in doc._.sources}
    voices = {s.name for s in doc._.sources if s.speaks_for and by_id[s.speaks_for].role == "document"}
    assert voices == expected, [(s.name, s.speaks_for) for s in doc._.sources]


def test_sources_entities_spokesman_adds_no_relay_depth(audit_nlp):
    text = ("The ministry said the report was false. \"No troops have moved,\" the ministry's spokesman, Colonel Arif "
            "Demir, told reporters.")
    doc = _doc(audit_nlp, text)
    (root,) = doc._.relay_chains
    assert root.depth() == 2
    [ministry] = [n for n in root.children if n.name == "The ministry"]
    assert [v.name for v in ministry.voices] == ["Colonel Arif Demir"]


def test_sources_entities_declined_to_comment_is_a_non_answer(audit_nlp):
    text = ("Troops crossed the border on Tuesday, the ministry said. The Kremlin declined to comment. A spokesman "
            "for the company did not respond to a request for comment.")
    doc = _doc(audit_nlp, text)
    quiet = {s.name: [n.text for n in s.non_answers] for s in doc._.sources if s.non_answers}
    assert set(quiet) == {"The Kremlin", "A spokesman for the company"}, quiet
    assert not any("comment" in a.content.text for a in doc._.attributions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the network the talks are with is not the trade paper that reported them
        (("Quinn is in final negotiations with the network, according to the trade paper Screen Daily. The network "
          "declined to comment."), "The network"),
        # an outlet called by its name alone may be "the newspaper" later
        ("The Daily Comet reported the deal on Monday. The newspaper declined to comment.", "The Daily Comet"),
    ],
)
def test_sources_entities_non_answer_of_a_described_outlet(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text)
    quiet = [s.name for s in doc._.sources if s.non_answers]
    assert quiet == [expected], quiet


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a document named with its author before it is the author's: two analyses of one outlet are one source
        (("Donations hit nearly $1.1 billion, a USA TODAY analysis of newly filed campaign-finance reports shows. "
          "Democrats are spending heavily, too. A USA TODAY analysis of super PACs that have raised $1million or more "
          "since Jan. 1, 2015, shows Democratic groups outpacing Republicans."), ["USA TODAY"]),
        # a document of the body its possessive refers to is that body's
        (("The transit authority, for its part, declined to say how much the lanes will cost. Its own 2019 study found "
          "that similar lanes elsewhere cut commute times by less than two minutes."), ["The transit authority"]),
    ],
)
def test_sources_entities_document_is_its_named_authors(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text)
    assert [s.name for s in doc._.sources] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a negated telling with no that-clause withholds an answer
        ("The attorney general isn’t saying whether the foundation broke the law.",
         {"The attorney general": ["isn’t saying whether the foundation broke the law"]}),
        ("The senator would not confirm it.", {"The senator": ["would not confirm it"]}),
        # refusing to disclose is refusing to answer
        ("The candidate has refused to disclose his medical records.",
         {"The candidate": ["has refused to disclose his medical records"]}),
        # a negated telling with a that-clause is no non-answer
        ("The senator did not say that the bill would pass.", {}),
    ],
)
def test_sources_entities_withheld_answer_is_a_non_answer(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text)
    assert {s.name: [n.text for n in s.non_answers] for s in doc._.sources if s.non_answers} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a pronoun that declines to comment stands for its antecedent, a source of its own, and is its mention
        ("Jim Justice owns the mine. Through a spokesman, he declined to comment.",
         {"Jim Justice": (["Jim Justice", "he"], ["declined to comment"])}),
    ],
)
def test_sources_entities_non_answer_of_a_pronoun(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text)
    found = {s.name: ([m.text for m in s.mentions], [n.text for n in s.non_answers]) for s in doc._.sources}
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sony, which is developing the film, did not respond to a request for comment.\n\nThe film opens in May.",
         {"Sony": ["did not respond to a request for comment"]}),
        ("The Kremlin declined to comment.", {"The Kremlin": ["declined to comment"]}),
    ],
)
def test_sources_entities_non_answer_span_is_the_refusal_alone(audit_nlp, text, expected):
    """The span holds the refusal: not a relative clause of the subject, nor the paragraph break after it."""
    doc = _doc(audit_nlp, text)
    assert {s.name: [n.text for n in s.non_answers] for s in doc._.sources if s.non_answers} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the spokesman of a non-answer is named by his name, and speaks for the body "the authority" refers to
        ("The transit authority said construction would begin in March. A spokesman for the authority, James "
         "Whitfield, declined to comment on the cost.",
         {"The transit authority": None, "James Whitfield": "The transit authority"}),
        ("The transit authority said construction would begin in March. A spokesman for the authority, James "
         "Whitfield, said the cost was not known.",
         {"The transit authority": None, "James Whitfield": "The transit authority"}),
        # two bodies with that head noun: no guess
        ("The transit authority said construction would begin in March. The port authority said the plan was too costly. A "
         "spokesman for the authority, James Whitfield, said the cost was not known.",
         {"The transit authority": None, "The port authority": None, "James Whitfield": None}),
    ],
)
def test_sources_entities_spokesman_for_a_body_by_its_head_noun(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text)
    by_id = {s.id: s.name for s in doc._.sources}
    assert {s.name: by_id.get(s.speaks_for) if s.speaks_for else None for s in doc._.sources} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a description written before the name, no comma: the name's source, the description a further mention
        ("Hackers broke into the utility, according to a report published on Monday by the security company "
         "NetShield. NetShield said the attackers stayed for months.",
         {"NetShield": ["the security company", "NetShield", "NetShield"]}),
        # a headline's bare description is the body's first source of that kind
        ("Hackers breached water utility, security firm says\n\nNetShield said the attackers stayed for months.",
         {"NetShield": ["security firm", "NetShield"]}),
    ],
)
def test_sources_entities_description_before_a_name(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text)
    assert {s.name: [m.text for m in s.mentions] for s in doc._.sources} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a definite description qualified by another noun is another body
        ("The city council said the plan was too costly. The county council said the plan was fair.",
         [["The city council"], ["The county council"]]),
        # a description with another owner is another body: "the prime minister's office" is not Halvorsen's
        ("Defence Minister Petra Halvorsen is expected to resign. Halvorsen's office denied the report. The prime "
         "minister's office declined to comment.",
         [["Halvorsen's office"], ["The prime minister's office"]]),
        # the bare head refers back to the latest one
        ("The city council said the plan was too costly. The council said it would vote again in May.",
         [["The city council", "The council"]]),
    ],
)
def test_sources_entities_bodies_qualified_differently(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text)
    assert sorted([m.text for m in s.mentions if m.text != "it"] for s in doc._.sources) == expected


# --------------------------------------------------------------------------- the seed article


@pytest.fixture(scope="module")
def seed_doc(audit_nlp, seed_path):
    from newsaudit.load import load_file

    return audit_nlp(load_file(seed_path).text)


def test_sources_entities_seed_local_resident_is_known_through_the_russian_military(seed_doc):
    by_id = {s.id: s for s in seed_doc._.sources}
    [resident] = [s for s in seed_doc._.sources if s.name == "a local resident"]
    assert resident.cited_by is not None
    military = by_id[resident.cited_by]
    assert {"The military", "the Russian military"} <= {m.text for m in military.mentions}


def test_sources_entities_seed_reconciliation_center_is_no_source_of_its_own(seed_doc):
    assert not any("Reconciliation" in s.name for s in seed_doc._.sources)


def test_sources_entities_seed_zdf_is_a_source(seed_doc):
    [zdf] = [s for s in seed_doc._.sources if "ZDF" in s.name]
    assert zdf.role == "outlet"
    locals_ = next(a for a in seed_doc._.attributions if "staged" in a.content.text)
    assert locals_.relayed_by == zdf.id


def test_sources_entities_seed_casting_doubt_is_afp_and_the_independent_or_nobody(seed_doc):
    by_id = {s.id: s for s in seed_doc._.sources}
    for att in seed_doc._.attributions:
        if att.cue is not None and att.cue.text.startswith("casting"):
            assert att.source_id is not None
            assert "AFP" in by_id[att.source_id].name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "he said" after "Ortiz smiled" in its own paragraph: Ortiz, not the speaker of the paragraph before
        (("Governor Maria Ortiz has run the state since 2015.\n\nHer deputy, Sara Webb, rejected the report. \"It is "
          "old news,\" Webb said.\n\nPressed about her plans, Ortiz smiled. \"I am not going anywhere,\" she said.",
          "I am not going anywhere"), "Maria Ortiz"),
        (("Mayor Tom Price opened the bridge on Friday.\n\nHis engineer, Dan Cole, praised the crews. \"They worked "
          "nights,\" Cole said.\n\nAsked about his pension, Price shrugged. \"It was worth every cent,\" he said.",
          "worth every cent"), "Tom Price"),
    ],
)
def test_sources_entities_speaker_pronoun_takes_the_subject_just_before(audit_nlp, text, expected):
    assert _source_name(_doc(audit_nlp, text[0]), text[1]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an "and" inside the relative clause does not make the woman a group: "She" is hers
        (("A woman who runs the shop next door, and who did not give her name, said the queue began at dawn. She said "
          "the doors opened two hours late.", "the doors opened"), "woman"),
        (("A man who owns the bakery, and who has lived here for years, said the road flooded twice. He said the "
          "council had been warned.", "the council had been warned"), "man"),
    ],
)
def test_sources_entities_pronoun_after_a_relative_clause_with_and(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text[0])
    source = _source_of(doc, text[1])
    assert source is not None
    assert expected in source.name.lower().split()
    assert source.mentions[-1].text.lower() in ("she", "he")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "he said, adding that": one pronoun speaks both attributions
        (("Senator Mark Doyle opposed the bill. \"This law will fail,\" he said, adding that he would vote against "
          "it again.", ["This law will fail", "he would vote against"]), "Mark Doyle"),
        (("Judge Anna Fischer closed the hearing. \"We will resume on Monday,\" she said, noting that the jury "
          "needed rest.", ["We will resume", "the jury needed rest"]), "Anna Fischer"),
    ],
)
def test_sources_entities_one_pronoun_speaks_each_cue_on_it(audit_nlp, text, expected):
    doc = _doc(audit_nlp, text[0])
    for words in text[1]:
        source = _source_of(doc, words)
        assert source is not None, words
        assert source.name.endswith(expected), (words, source)


ANON_RETAIL = (
    "Retailer plans to close 40 stores, sources say\n\n"
    "Northgate Stores is preparing to close about 40 of its 300 shops next year, according to two people with knowledge "
    "of the plan who asked not to be named because the talks are private.\n\n"
    "One of the people said the closures would mostly hit suburban malls. The company's chief executive, Laura Finch, "
    "is expected to announce the plan in March, the other person said.\n\n"
    "A Northgate spokesman said the company \"does not comment on rumours or speculation.\"\n\n"
    "Analyst Mark Osei of Bexley Research said the cuts, if confirmed, would be the largest in the chain's history."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # anonymous sourcing: "the other person" is one of the two people, the headline's "sources" are the same two
        # people, and the name stops before "who asked not to be named": three voices (the two people, the
        # company's spokesman, the analyst), not five
        (ANON_RETAIL, {"voices": 3, "the closures would mostly hit": "two people with knowledge of the plan",
                       "is expected to announce the plan": "two people with knowledge of the plan"}),
    ],
)
def test_sources_entities_anonymous_group_counts_once(text, expected):
    from newsaudit.pipeline import analyze
    from newsaudit.types import Article

    headline, body = text.split("\n\n", 1)
    report = analyze(Article(body=body, headline=headline))
    expected = dict(expected)
    assert report.summary["independent_voices"] == expected.pop("voices")
    by_id = {s.id: s for s in report.sources}
    for words, name in expected.items():
        att = next(a for a in report.attributions if words in a.content.text and a.source_id)
        assert by_id[att.source_id].name == name, words
    if "sources say" in headline:
        summing = [s for s in report.sources if s.sums_up]
        assert [(s.name, [by_id[i].name for i in s.sums_up]) for s in summing] == [
            ("sources", ["two people with knowledge of the plan"])]
