# Tab completion of clientfit for fish (from `clientfit completion fish`).
# Once:  clientfit completion fish > ~/.config/fish/completions/clientfit.fish
function __clientfit_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l out (clientfit __complete fish (count $words) $words $cur 2>/dev/null)
    or return
    set -l kind $out[1]
    set -e out[1]
    if test "$kind" = files
        __fish_complete_path "$cur"
    else
        printf '%s\n' $out
    end
end
complete -c clientfit -f -a '(__clientfit_complete)'
