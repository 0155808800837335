"""Views of the councils: public record (public.py) and workspace (workspace.py)."""
