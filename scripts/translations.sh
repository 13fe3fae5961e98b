#!/usr/bin/env bash
# Qt Linguist translations of the interface.
#   scripts/translations.sh update   collect the tr()/translate() strings of desk_app/ui into
#                                    resources/translations/desk_vi.ts (translations kept,
#                                    strings no longer in the code dropped)
#   scripts/translations.sh build    compile every resources/translations/*.ts into its .qm
#                                    (generated files, not committed; `make translations`)
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
DIR=resources/translations

update() {
  local sources
  mapfile -t sources < <(find desk_app/ui -name '*.py' -not -path '*/__pycache__/*' | sort)
  # No line numbers in the .ts: they would change with every edit of the code and bury the real
  # changes (new or reworded strings) in the diff.
  "$VENV/bin/pyside6-lupdate" -silent -no-obsolete -locations none \
    -source-language en -target-language vi_VN "${sources[@]}" -ts "$DIR/desk_vi.ts"
  echo "translations: updated $DIR/desk_vi.ts from ${#sources[@]} files"
}

build() {
  local ts qm built=0
  for ts in "$DIR"/*.ts; do
    qm="${ts%.ts}.qm"
    if [ -f "$qm" ] && [ "$qm" -nt "$ts" ]; then continue; fi
    "$VENV/bin/pyside6-lrelease" -silent "$ts" -qm "$qm"
    built=$((built + 1))
  done
  echo "translations: $built catalogue(s) compiled in $DIR"
}

case "${1:-build}" in
  update) update ;;
  build) build ;;
  *) echo "usage: $0 [update|build]" >&2; exit 2 ;;
esac
