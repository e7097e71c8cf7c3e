# netlab command log (sourced last by the learner's ~/.bashrc, in the toolbox image and in the sim's
# toolbox shell alike). After each command line, before the prompt, print an invisible OSC marker
#   ESC ] 6973 ; <exit status> ; <the command line, base64> BEL
# that the terminal gateway strips from the output and records (server/src/terminal/).
HISTCONTROL=
__netlab_hist=start
__netlab_cmdlog() {
  local rc=$? n='' cmd=''
  if [[ $(HISTTIMEFORMAT='' builtin history 1) =~ ^[[:space:]]*([0-9]+)[*]?[[:space:]]+(.*)$ ]]; then
    n=${BASH_REMATCH[1]} cmd=${BASH_REMATCH[2]}
  fi
  # A new history entry means a command ran; an empty line or Ctrl-C at the prompt adds none.
  if [[ $__netlab_hist != start && -n $n && $n != "$__netlab_hist" ]]; then
    printf '\e]6973;%s;%s\a' "$rc" "$(printf '%s' "${cmd:0:4096}" | base64 -w0)"
  fi
  __netlab_hist=$n
  return $rc
}
PROMPT_COMMAND="__netlab_cmdlog${PROMPT_COMMAND:+; $PROMPT_COMMAND}"
