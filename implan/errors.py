"""The one exception services raise when a rule of the domain refuses an action.

Its message is for the user (Spanish, through gettext) and views show it as is; nothing has been saved when it
is raised, because every service runs in a transaction.
"""


class DomainError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
