"""The interface language: Chinese unless the user chose English.

The browser's ``Accept-Language`` is not asked: office machines set up in English would show
English to people who work in Chinese. A choice made with the navigation's switch is kept in
the session (also before login, on the sign-in page) and, for a signed-in user, with the
account (``User.language``), which also sets the language of the emails the account receives
(``assessment.mail``) and of the files written for it (pages and exports run in the active
language; a background job in its starter's). ``choice`` says which language a request
speaks and stores a choice, ``middleware`` activates it, ``views`` is the switch's target.
"""
