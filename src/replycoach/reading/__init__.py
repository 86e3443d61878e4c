"""Understanding the customer, from the clean message text: one module per reading.

- ``analyze``: the whole reading (the analysis JSON of the contract), calling the others;
- ``scenario``: which scenario (refund, late delivery ...), with ``spelling`` for typos;
- ``feelings``: anger, urgency, risks (threats), the complainant type, complaint or not;
- ``entities``: order ids, amounts, dates, emails, phones, products, card numbers;
- ``sentences``: the sentences, what the customer wants, what went wrong;
- ``restate``: the sentence told back from the agent's side;
- ``language``: which language the text is in;
- ``cuedata``: the data files (data/signals.yaml, data/scenarios.yaml), validated and
  turned into cue sets; ``cues``: cues and the sets they are matched in;
- ``prefilter``: trying a pattern only where it can start (the speed mechanism of the
  cue sets and entities); ``anyof``: the same for the listening's cue lists, each an
  alternation matched as the joined regex would.

Cues and weights are data, and so are a language's cues: more languages are more data
for ``cuedata`` to load. A learned model's weights would be one more data file, applied
in plain Python by a module of its own beside ``cues``, its features the readings' hits.
Nothing is imported here: importing the package costs nothing.
"""
