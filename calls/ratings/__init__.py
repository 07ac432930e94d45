"""What callers thought: the survey after a call or a text conversation, shared by both channels.

``ask`` decides who is asked and enqueues the survey after commit (by the task's name, so the
voice line never imports the SMS relay); ``selectors`` reads the answers for pages and figures.
The texts themselves go out and come back through :mod:`calls.sms.survey`.
"""
