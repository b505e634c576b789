"""Stop words of Dutch and English: Snowball's lists, as PostgreSQL's ``dutch`` and
``english`` text search configurations use them (``tsearch_data/*.stop``).

A query word that is a stop word in either language is not searched for. Each configuration
indexes the other language's stop words, so "de" (Dutch for "the") would otherwise match
nearly every document through the English configuration: a slow search that finds nothing in
particular. Dropping them in ``search.text.parse`` means every backend looks for the same words.
"""

DUTCH = frozenset(
    """
    de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er
    maar om hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit
    der daar haar naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat
    iets worden toch al waren veel meer doen toen moet ben zonder kan hun dus alles
    onder ja eens hier wie werd altijd doch wordt wezen kunnen ons zelf tegen na reeds
    wil kon niets uw iemand geweest andere
    """.split()
)

ENGLISH = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now
    """.split()
)

STOP_WORDS = DUTCH | ENGLISH
