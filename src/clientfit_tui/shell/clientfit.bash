# Tab completion of clientfit for bash (from `clientfit completion bash`).
# In ~/.bashrc:  eval "$(clientfit completion bash)"
# or once:       clientfit completion bash > ~/.local/share/bash-completion/completions/clientfit
_clientfit() {
    local out kind
    out=$(clientfit __complete bash "$COMP_CWORD" "${COMP_WORDS[@]}" 2>/dev/null) || return 0
    local -a lines
    mapfile -t lines <<< "$out"
    kind=${lines[0]}
    if [[ $kind == files ]]; then
        COMPREPLY=()
        compopt -o default 2>/dev/null
    else
        COMPREPLY=("${lines[@]:1}")
    fi
}
complete -F _clientfit clientfit
