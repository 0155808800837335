# Sourced by bin/start and bin/test: makes .venv with the pinned packages of pyproject.toml.
# Reinstalls only when pyproject.toml changed since the last install.
set -euo pipefail
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Se necesita Python 3.11 o posterior (encontrado: $("$PYTHON" --version 2>&1))." >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "== Creando el entorno virtual .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "== Instalando dependencias (pyproject.toml)"
  if ! { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e ".[test]"; } \
      >.venv/install.log 2>&1; then
    tail -n 30 .venv/install.log >&2
    echo "La instalación de dependencias falló; el registro completo está en .venv/install.log" >&2
    exit 1
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
fi
