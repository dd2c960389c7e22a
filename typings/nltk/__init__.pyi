# nltk ships no type information; these stubs cover the sentence splitter and the
# stemmers briefing/nlp uses (no nltk_data download needed for either).
