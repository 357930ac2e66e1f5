#!/usr/bin/env bash
# Present the lessons with Voilà: outputs and live widgets, code hidden, on this computer only.
#
# Usage: tools/present.sh [--dry-run] [--no-token] [--port PORT] [NB]   (`make present [NB=02]`)
#
#   NB         a lesson number (02) or file name (02-the-body-after-orgasm.ipynb); without it, Voilà
#              serves notebooks/ and shows a list of the lessons to choose from.
#   --port     port to listen on (default 8866, or $PRESENT_PORT).
#   --no-token serve without an access token (opt-out; also PRESENT_TOKEN=0). By default Voilà
#              makes a random token and prints the address with it.
#   --dry-run  print the Voilà command and exit without starting a server (used by the tests).
#
# Voilà hides code cells by default (strip_sources) and runs every widget in its own kernel, one per
# browser tab. It is bound to 127.0.0.1, so only this computer can open it, and it asks for a token
# (printed with the address) so other accounts on this computer cannot. To show the lessons to a
# room, share your screen; do not change the address to 0.0.0.0.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VOILA="${VOILA:-$ROOT/.venv/bin/voila}"
PORT="${PRESENT_PORT:-8866}"
DRY_RUN=0
TOKEN="${PRESENT_TOKEN:-1}"
NB=""

die() { echo "present: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --no-token) TOKEN=0 ;;
    --port) [[ $# -ge 2 ]] || die "--port needs a number"; PORT="$2"; shift ;;
    --port=*) PORT="${1#--port=}" ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' \
      "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [[ -z "$NB" ]] || die "give one lesson at most (got '$NB' and '$1')"; NB="$1" ;;
  esac
  shift
done

[[ "$PORT" =~ ^[0-9]+$ ]] && (( PORT >= 1024 && PORT <= 65535 )) \
  || die "port must be a number from 1024 to 65535 (got '$PORT')"

lessons() { (cd "$ROOT/notebooks" && ls -1 [0-9][0-9]-*.ipynb 2>/dev/null) | sed 's/^/  /'; }

if [[ -z "$NB" ]]; then
  TARGET="notebooks"
  WHAT="the lesson list"
else
  NB="${NB#notebooks/}"
  if [[ "$NB" =~ ^[0-9]{1,2}$ ]]; then
    NB="$(printf '%02d' "$((10#$NB))")"
    shopt -s nullglob
    matches=("$ROOT"/notebooks/"$NB"-*.ipynb)
    shopt -u nullglob
    (( ${#matches[@]} == 1 )) \
      || die "no single lesson numbered $NB in notebooks/ (found ${#matches[@]}); the lessons are:
$(lessons)"
    NB="$(basename "${matches[0]}")"
  fi
  [[ "$NB" == *.ipynb ]] || NB="$NB.ipynb"
  [[ -f "$ROOT/notebooks/$NB" ]] || die "no notebook notebooks/$NB; the lessons are:
$(lessons)"
  TARGET="notebooks/$NB"
  WHAT="$NB"
fi

CMD=(
  "$VOILA" "$TARGET"
  --Voila.ip=127.0.0.1
  "--port=$PORT"
  --no-browser
  --strip_sources=True
  --show_tracebacks=False
  --theme=light
)
if [[ "$TOKEN" != 0 ]]; then
  CMD+=(--token)
fi

# Stored outputs and the live kernel use the same plotly renderer as the tests and JupyterLab.
export PLOTLY_RENDERER="${PLOTLY_RENDERER:-plotly_mimetype}"
ENV=("PLOTLY_RENDERER=$PLOTLY_RENDERER")

# The pack's Voilà template (jupyter/voila/templates/pcd) is Voilà's "lab" template without the two
# icon style sheets it would fetch from a CDN, so a presented lesson loads nothing from outside.
if [[ -f "$ROOT/jupyter/voila/templates/pcd/conf.json" ]]; then
  export JUPYTER_PATH="$ROOT/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
  ENV+=("JUPYTER_PATH=$JUPYTER_PATH")
  CMD+=(--template=pcd)
fi

if (( DRY_RUN )); then
  printf 'cd %q &&' "$ROOT"
  printf ' %q' "${ENV[@]}" "${CMD[@]}"
  printf '\n'
  exit 0
fi

[[ -x "$VOILA" ]] || die "Voilà not found at $VOILA: run 'make setup' first"
cd "$ROOT"
if [[ "$TOKEN" != 0 ]]; then
  echo "Presenting $WHAT at http://127.0.0.1:$PORT/ (this computer only; open the address with"
  echo "its token, printed by Voilà below)."
else
  echo "Presenting $WHAT at http://127.0.0.1:$PORT/ (this computer only; no token: opted out)."
fi
echo "Code is hidden and every widget is live. Press Ctrl+C to stop."
exec "${CMD[@]}"
