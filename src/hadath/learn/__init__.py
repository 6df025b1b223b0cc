"""Learned decisions over the candidates the rules propose (see `decide`).

The lexicons and rules find trigger words and the actors around them; models trained on the
gold sets decide whether a candidate is an event and of which type, and which actors are its
source and target. `hadath train events` fits them; `resources/model/events.json` ships them.
"""
