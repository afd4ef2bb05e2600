#!/usr/bin/env bash
# One-off: points the code's citations of the design notes that lived outside the repository at
# the repository's own docs (docs/zoom.md, docs/architecture.md), so that
# scripts/check-doc-citations.ts passes. Run from anywhere: bash scripts/rewrite-doc-citations.sh [root]
#
# - the Zoom notes keep their section numbers: "<notes> §N" becomes "docs/zoom.md §N";
# - design-note citations name a section by its title; each title maps to a numbered section of
#   docs/architecture.md (Stack §1, Data §3, Security notes and logs §10, the style guide §13).
# Matching is by text, not by file or line, so it still works after files have moved. It prints
# anything it could not map and exits 1 then; those need a hand edit.
set -euo pipefail
export LC_ALL=C

root=$(cd "${1:-$(dirname "$0")/..}" && pwd)
cd "$root"
self=scripts/rewrite-doc-citations.sh

rules=(
  # The Zoom notes, by absolute path or by bare name: same sections in docs/zoom.md.
  -e 's#/work/shared/ZOOM\.md#docs/zoom.md#g'
  -e 's#(^|[^/A-Za-z0-9_.-])ZOOM\.md#\1docs/zoom.md#g'
  # The design notes, by the section title each citation names.
  -e 's#DESIGN\.md, Security notes#docs/architecture.md §10#g'
  -e 's#DESIGN\.md, logs#docs/architecture.md §10#g'
  -e 's#DESIGN\.md, Data#docs/architecture.md §3#g'
  -e 's#DESIGN\.md, Stack#docs/architecture.md §1#g'
  -e 's#DESIGN\.md: one person = one recipient#docs/architecture.md §3: one person = one recipient#g'
  -e 's#The join key of DESIGN\.md#The join key of docs/architecture.md §3#g'
  -e 's#never stored \(DESIGN\.md\)#never stored (docs/architecture.md §10)#g'
  -e 's#\(DESIGN\.md has#(docs/architecture.md §3; the first design had#g'
  # The style guide's conventions are docs/architecture.md §13.
  -e 's#\(STYLE\.md\)#(docs/architecture.md §13)#g'
)

mapfile -t files < <(
  {
    find src test tools bench scripts docs \
      \( -name node_modules -o -name dist -o -name target -o -name test-results \) -prune -o \
      -type f -print 2>/dev/null
    find . -maxdepth 1 -type f -printf '%P\n'
  } | grep -v -x -F "$self" | xargs -r grep -l -E '(DESIGN|STYLE|ZOOM)\.md' 2>/dev/null || true
)

for f in "${files[@]}"; do
  sed -i -E "${rules[@]}" "$f"
  echo "rewrote $f"
done
# Longer paths widen Markdown table cells: let Prettier realign what was rewritten.
if [ "${#files[@]}" -gt 0 ]; then
  npx --no-install prettier --write --ignore-unknown --log-level warn "${files[@]}"
fi

# Whatever still names the outside notes needs a hand edit.
left=$(
  {
    find src test tools bench scripts docs \
      \( -name node_modules -o -name dist -o -name target -o -name test-results \) -prune -o \
      -type f -print 2>/dev/null
    find . -maxdepth 1 -type f -printf '%P\n'
  } | grep -v -x -F "$self" |
    xargs -r grep -n -E '(^|[^/A-Za-z0-9_.-])(DESIGN|STYLE|ZOOM)\.md' 2>/dev/null || true
)
if [ -n "$left" ]; then
  echo "not rewritten (edit by hand):" >&2
  echo "$left" >&2
  exit 1
fi
echo "all citations of the outside notes now point at docs/"
