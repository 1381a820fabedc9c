#compdef clientfit
# Tab completion of clientfit for zsh (from `clientfit completion zsh`).
# In ~/.zshrc, after compinit:  eval "$(clientfit completion zsh)"
# or once, as _clientfit in a folder of $fpath:  clientfit completion zsh > ~/.zfunc/_clientfit
_clientfit() {
    local -a lines values
    lines=("${(@f)$(clientfit __complete zsh $((CURRENT - 1)) "${words[@]}" 2>/dev/null)}")
    values=("${(@)lines[2,-1]}")
    if [[ ${lines[1]} == files ]]; then
        _files
    elif (( ${#values} )); then
        _describe -t values clientfit values
    else
        return 1
    fi
}
if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
    _clientfit "$@"
else
    compdef _clientfit clientfit
fi
