"""Reading a delaftale document (.docx or text) into a plan, and keeping plans up to date."""
