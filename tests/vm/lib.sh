# shellcheck shell=bash
# Helpers for the VM kernel-matrix harness (sourced by tests/vm/run).
#
# Nothing here names a package mirror: the Debian archive is discovered at
# run time from the host's apt configuration (dc_discover_mirrors).

DC_CACHE=${DC_CACHE:-/var/cache/domain-core-test}
# Bump when the chroot recipe changes: older chroots are then rebuilt.
DC_CHROOT_RECIPE=1
DC_CHROOT_PKGS="gcc make dkms kmod libc6-dev"
# shellcheck disable=SC2034  # (used by tests/vm/run)
DC_VALID_TARGETS="5.10 6.1 6.12 7.x"

note() { printf '%s\n' "$*" >&"${DC_NOTE_FD:-2}"; }
die() { printf 'tests/vm: %s\n' "$*" >&2; exit 2; }

# ---------------------------------------------------------------- targets

# dc_target NAME: sets T_NAME (normalised), T_RELEASE and T_KVER_RE, an ERE
# matching the kernel release strings (uname -r) of that line, plain -amd64
# flavour only.  Returns 1 for an unknown name.
dc_target() {
	case $1 in
	5.10)
		T_NAME=5.10 T_RELEASE=bullseye
		T_KVER_RE='5\.10\.0-[0-9]+-amd64' ;;
	6.1)
		T_NAME=6.1 T_RELEASE=bookworm
		T_KVER_RE='6\.1\.0-[0-9]+-amd64' ;;
	6.12)
		T_NAME=6.12 T_RELEASE=bookworm
		T_KVER_RE='6\.12\.[0-9]+\+(deb12|bpo)-amd64' ;;
	7 | 7.x)
		T_NAME=7.x T_RELEASE=trixie
		T_KVER_RE='7\.[0-9]+(\.[0-9]+)?\+(deb13|bpo)-amd64' ;;
	*) return 1 ;;
	esac
}

# Suites of a release: main archive ones, then security ones.
dc_release_suites() {
	case $1 in
	trixie) R_MAIN_SUITES="$1 $1-updates $1-backports" ;;
	*) R_MAIN_SUITES="$1 $1-updates" ;;
	esac
	R_SEC_SUITES="$1-security"
}

# ---------------------------------------------------------------- mirrors

# Print "URI SUITE" for every enabled deb source the host's apt knows.
dc_apt_sources() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '
		function flush(   i, j, nu, ns, u, s) {
			if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled !~ /^[ \t]*no/) {
				nu = split(uris, u, /[ \t]+/); ns = split(suites, s, /[ \t]+/)
				for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++)
					if (u[i] != "" && s[j] != "") print u[i], s[j]
			}
			types = uris = suites = enabled = ""; last = ""
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^[ \t]/ { if (last == "uris") uris = uris " " $0
		           else if (last == "suites") suites = suites " " $0
		           next }
		{
			key = tolower($0); sub(/:.*/, "", key)
			val = $0; sub(/^[^:]*:[ \t]*/, "", val)
			last = key
			if (key == "types") types = val
			else if (key == "uris") uris = val
			else if (key == "suites") suites = val
			else if (key == "enabled") enabled = tolower(val)
		}
		END { flush() }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		awk '
		{ sub(/#.*/, "") }
		$1 == "deb" {
			i = 2
			if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
			if (i + 1 <= NF) print $i, $(i + 1)
		}' "$f"
	done
}

# Sets DC_MIRROR (main archive) and DC_SECURITY_MIRROR.  Both may be preset
# in the environment to override discovery.
dc_discover_mirrors() {
	local uri suite base main="" sec=""
	if [ -z "${DC_MIRROR:-}" ] || [ -z "${DC_SECURITY_MIRROR:-}" ]; then
		while read -r uri suite; do
			case $uri in http://* | https://* | file:/* | ftp://*) ;; *) continue ;; esac
			uri=${uri%/}
			base=${suite%%[-/]*}
			case $base in
			buster | bullseye | bookworm | trixie | forky | duke | sid | \
				oldoldstable | oldstable | stable | testing | unstable) ;;
			*) continue ;;
			esac
			case $suite in
			*-security | */updates)
				[ -n "$sec" ] || sec=$uri ;;
			*-*) ;;
			*)
				# Prefer a URI that looks like the Debian archive itself.
				case $uri in
				*/debian) [ -n "$main" ] && [ "${main%/debian}" != "$main" ] || main=$uri ;;
				*) [ -n "$main" ] || main=$uri ;;
				esac ;;
			esac
		done < <(dc_apt_sources)
	fi
	DC_MIRROR=${DC_MIRROR:-$main}
	if [ -z "${DC_SECURITY_MIRROR:-}" ]; then
		if [ -n "$sec" ]; then
			DC_SECURITY_MIRROR=$sec
		elif [ "${DC_MIRROR%/debian}" != "$DC_MIRROR" ]; then
			DC_SECURITY_MIRROR=${DC_MIRROR}-security
		fi
	fi
	[ -n "$DC_MIRROR" ] || die "cannot find the Debian archive in the host's apt sources (set DC_MIRROR=URI)"
	[ -n "${DC_SECURITY_MIRROR:-}" ] || die "cannot find the Debian security archive in the host's apt sources (set DC_SECURITY_MIRROR=URI)"
}

# ---------------------------------------------------------------- chroots

dc_chroot_dir() { printf '%s/chroots/%s' "$DC_CACHE" "$1"; }

# Can we give each chroot command a private mount namespace?  Then /proc,
# /sys and /dev vanish with the command, whatever happens to us.
DC_USE_UNSHARE=
dc_probe_unshare() {
	if [ -z "$DC_USE_UNSHARE" ]; then
		if unshare -m --propagation private true 2>/dev/null; then
			DC_USE_UNSHARE=yes
		else
			DC_USE_UNSHARE=no
		fi
	fi
}

# Mounts made without a namespace (fallback), undone by dc_umount_all.
DC_MOUNTS=()
dc_umount_all() {
	local i
	for ((i = ${#DC_MOUNTS[@]} - 1; i >= 0; i--)); do
		umount -l "${DC_MOUNTS[i]}" 2>/dev/null || true
	done
	DC_MOUNTS=()
}

# dc_chroot ROOT CMD...: run CMD inside ROOT with /proc, /sys and /dev.
dc_chroot() {
	local root=$1
	shift
	local envs=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
		HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive TERM=dumb)
	dc_probe_unshare
	if [ "$DC_USE_UNSHARE" = yes ]; then
		# shellcheck disable=SC2016  # (expanded by that sh)
		unshare -m --propagation private -- /bin/sh -c '
			r=$1; shift
			mount -t proc proc "$r/proc" &&
			mount -t sysfs sysfs "$r/sys" &&
			mount --bind /dev "$r/dev" || exit 125
			mount -t devpts -o newinstance,ptmxmode=0666 devpts "$r/dev/pts" 2>/dev/null
			exec chroot "$r" "$@"' dc-chroot "$root" "${envs[@]}" "$@"
	else
		local rc=0
		if ! { mount -t proc proc "$root/proc" && DC_MOUNTS+=("$root/proc") &&
			mount -t sysfs sysfs "$root/sys" && DC_MOUNTS+=("$root/sys") &&
			mount --bind /dev "$root/dev" && DC_MOUNTS+=("$root/dev"); }; then
			dc_umount_all
			return 125
		fi
		chroot "$root" "${envs[@]}" "$@" || rc=$?
		dc_umount_all
		return "$rc"
	fi
}

# Remove a directory tree, never crossing into a mounted file system.
dc_rmtree() {
	local d=$1 m
	[ -e "$d" ] || return 0
	d=$(readlink -f "$d")
	case $d in "$(readlink -f "$DC_CACHE")"/?*) ;; *) die "refusing to delete $d" ;; esac
	while read -r _ m _; do
		case $m in "$d" | "$d"/*) umount -l "$m" 2>/dev/null || true ;; esac
	done < <(sort -r -k2 /proc/self/mounts)
	rm -rf --one-file-system "$d"
}

dc_write_apt_config() {
	local root=$1 release=$2 s
	dc_release_suites "$release"
	{
		for s in $R_MAIN_SUITES; do echo "deb $DC_MIRROR $s main"; done
		for s in $R_SEC_SUITES; do echo "deb $DC_SECURITY_MIRROR $s main"; done
	} >"$root/etc/apt/sources.list"
	cat >"$root/etc/apt/apt.conf.d/90domain-core" <<'EOF'
// written by domain-core tests/vm: a lean, quiet build chroot
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
Acquire::Check-Valid-Until "false";
Acquire::Retries "3";
APT::Sandbox::User "root";
Dpkg::Use-Pty "false";
EOF
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"
	cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
}

# Make sure the chroot of RELEASE exists and is complete (stamp present).
# Built in a temporary directory and renamed when complete.
dc_ensure_chroot() {
	local release=$1 dir tmp log
	dir=$(dc_chroot_dir "$release")
	if [ -f "$dir.stamp" ] && [ "$(cat "$dir.stamp")" = "recipe=$DC_CHROOT_RECIPE" ] && [ -d "$dir" ]; then
		dc_write_apt_config "$dir" "$release"
		return 0
	fi
	note "== $release: building chroot $dir (first run only: ~1-2 min)"
	rm -f "$dir.stamp"
	dc_rmtree "$dir"
	mkdir -p "$DC_CACHE/chroots"
	tmp="$DC_CACHE/chroots/.tmp-$release"
	dc_rmtree "$tmp"
	log="$DC_CACHE/chroots/$release.debootstrap.log"
	if ! debootstrap --variant=minbase "$release" "$tmp" "$DC_MIRROR" >"$log" 2>&1; then
		tail -n 20 "$log" | sed 's/^/    /' >&2
		note "debootstrap of $release failed (log: $log)"
		return 1
	fi
	dc_write_apt_config "$tmp" "$release"
	# shellcheck disable=SC2086
	if ! { dc_chroot "$tmp" apt-get -q update &&
		dc_chroot "$tmp" apt-get -q -y install $DC_CHROOT_PKGS; } >>"$log" 2>&1; then
		tail -n 20 "$log" | sed 's/^/    /' >&2
		note "installing $DC_CHROOT_PKGS in the $release chroot failed (log: $log)"
		return 1
	fi
	dc_chroot "$tmp" apt-get clean >/dev/null 2>&1 || true
	mv "$tmp" "$dir"
	echo "recipe=$DC_CHROOT_RECIPE" >"$dir.stamp"
	DC_UPDATED="$DC_UPDATED $release"
}

# apt-get update in the chroot of RELEASE, at most once per run.
DC_UPDATED=
dc_chroot_update() {
	local release=$1 dir
	case " $DC_UPDATED " in *" $release "*) return 0 ;; esac
	[ -n "${DC_NO_UPDATE:-}" ] && return 0
	dir=$(dc_chroot_dir "$release")
	note "== $release: refreshing package lists"
	if ! dc_chroot "$dir" apt-get -q update >"$DC_CACHE/chroots/$release.update.log" 2>&1; then
		tail -n 10 "$DC_CACHE/chroots/$release.update.log" | sed 's/^/    /' >&2
		note "warning: apt-get update failed in the $release chroot; using the lists it has"
	fi
	DC_UPDATED="$DC_UPDATED $release"
}

# ---------------------------------------------------------------- kernels

# dc_resolve_kernel: newest kernel of the current target (T_*) available in
# its chroot.  Sets KVER, HDR_PKG, IMG_PKG (the image package named in
# reports) and IMG_PKGS (what to download to get vmlinuz and the modules).
dc_resolve_kernel() {
	local dir cands c
	dir=$(dc_chroot_dir "$T_RELEASE")
	cands=$(dc_chroot "$dir" apt-cache search --names-only "^linux-headers-${T_KVER_RE}\$" |
		sed -n 's/^linux-headers-\([^ ]*\) - .*/\1/p' | grep -E "^${T_KVER_RE}\$" | sort -rV)
	for c in $cands; do
		if dc_image_packages "$dir" "$c"; then
			KVER=$c HDR_PKG=linux-headers-$c
			return 0
		fi
	done
	return 1
}

# dc_image_packages CHROOT KVER: sets IMG_PKG and IMG_PKGS.
# Older kernels: linux-image-KVER-unsigned (else the signed linux-image-KVER)
# holds everything.  Newer ones (trixie-backports 7.x) split it: the
# linux-image-KVER metapackage depends on linux-binary-KVER (vmlinuz; take
# linux-binary-unsigned-KVER when there is one), linux-modules-KVER and
# linux-base-KVER.  So: the image package plus each of its dependencies
# whose name contains KVER.
dc_image_packages() {
	local dir=$1 k=$2 deps d
	if dc_chroot "$dir" apt-cache show "linux-image-$k-unsigned" >/dev/null 2>&1; then
		IMG_PKG=linux-image-$k-unsigned
	elif dc_chroot "$dir" apt-cache show "linux-image-$k" >/dev/null 2>&1; then
		IMG_PKG=linux-image-$k
	else
		return 1
	fi
	IMG_PKGS=$IMG_PKG
	deps=$(dc_chroot "$dir" apt-cache show --no-all-versions "$IMG_PKG" 2>/dev/null |
		sed -n 's/^\(Pre-\)\{0,1\}Depends: //p' | tr ',|' '\n' | sed 's/(.*//; s/[[:space:]]//g')
	for d in $deps; do
		case $d in *"$k"*) ;; *) continue ;; esac
		case $d in
		linux-binary-"$k")
			if dc_chroot "$dir" apt-cache show "linux-binary-unsigned-$k" >/dev/null 2>&1; then
				d=linux-binary-unsigned-$k
			fi ;;
		esac
		case " $IMG_PKGS " in *" $d "*) ;; *) IMG_PKGS="$IMG_PKGS $d" ;; esac
	done
}

# Install the headers of KVER in the chroot (and drop older headers of the
# same line, so the chroot does not grow without bound).
dc_ensure_headers() {
	local dir log old=() p
	dir=$(dc_chroot_dir "$T_RELEASE")
	# shellcheck disable=SC2016
	if dc_chroot "$dir" dpkg-query -W -f='${db:Status-Abbrev}' "$HDR_PKG" 2>/dev/null | grep -q '^ii' &&
		dc_chroot "$dir" test -e "/lib/modules/$KVER/build/Makefile"; then
		return 0
	fi
	note "== $T_NAME: installing $HDR_PKG in the $T_RELEASE chroot"
	log="$DC_CACHE/chroots/$T_RELEASE.headers.log"
	# A module left registered with DKMS would be rebuilt by the headers'
	# postinst hook: drop ours first.
	if [ -e "$dir/var/lib/dkms/$DC_PKG" ]; then
		dc_chroot "$dir" dkms remove "$DC_PKG/$DC_VER" --all --verbose >/dev/null 2>&1 || true
	fi
	rm -rf "${dir:?}/var/lib/dkms/${DC_PKG:?}"
	# shellcheck disable=SC2016
	for p in $(dc_chroot "$dir" dpkg-query -W -f='${Package}\n' 'linux-headers-*' 2>/dev/null); do
		case $p in "$HDR_PKG") continue ;; esac
		if printf '%s\n' "${p#linux-headers-}" | grep -qE "^${T_KVER_RE}\$"; then
			old+=("$p")
		fi
	done
	if ! dc_chroot "$dir" apt-get -q -y install "$HDR_PKG" >"$log" 2>&1; then
		# Packages only in a backports suite need it selected explicitly.
		if ! dc_chroot "$dir" apt-get -q -y -t "$T_RELEASE-backports" install "$HDR_PKG" >>"$log" 2>&1; then
			tail -n 20 "$log" | sed 's/^/    /'
			return 1
		fi
	fi
	if [ ${#old[@]} -gt 0 ]; then
		dc_chroot "$dir" apt-get -q -y purge "${old[@]}" >>"$log" 2>&1 || true
		dc_chroot "$dir" apt-get -q -y autoremove --purge >>"$log" 2>&1 || true
	fi
	dc_chroot "$dir" apt-get clean >/dev/null 2>&1 || true
}

dc_kernel_dir() { printf '%s/kernels/%s' "$DC_CACHE" "$1"; }

# Extract vmlinuz and /lib/modules of KVER from IMG_PKG into the cache
# (apt-get download + dpkg-deb -x; the image is never installed), then run
# the release's depmod on it: the package ships no modules.dep.
dc_ensure_image() {
	local dir kdir tmp ctmp deb m f
	kdir=$(dc_kernel_dir "$KVER")
	if [ -f "$kdir.stamp" ] && [ -f "$kdir/vmlinuz" ] && [ -f "$kdir/modules/modules.dep" ]; then
		return 0
	fi
	note "== $T_NAME: fetching $IMG_PKG"
	dir=$(dc_chroot_dir "$T_RELEASE")
	rm -f "$kdir.stamp"
	dc_rmtree "$kdir"
	# Work inside the chroot (its depmod), then move into the cache.
	ctmp=/tmp/dc-kernel
	tmp=$dir$ctmp
	dc_rmtree "$tmp"
	mkdir -p "$tmp/dl" "$tmp/x"
	note "   ($IMG_PKGS)"
	# shellcheck disable=SC2086,SC2016
	if ! dc_chroot "$dir" sh -c 'cd "$0" && apt-get -q download "$@"' "$ctmp/dl" $IMG_PKGS >"$tmp/download.log" 2>&1; then
		sed 's/^/    /' "$tmp/download.log"
		return 1
	fi
	for deb in "$tmp/dl/"*.deb; do
		dpkg-deb -x "$deb" "$tmp/x" || return 1
	done
	rm -rf "$tmp/dl"
	# Modules may sit in /lib/modules or /usr/lib/modules.
	if [ -d "$tmp/x/usr/lib/modules/$KVER" ]; then
		mkdir -p "$tmp/x/lib/modules/$KVER"
		cp -a "$tmp/x/usr/lib/modules/$KVER/." "$tmp/x/lib/modules/$KVER/"
		rm -rf "$tmp/x/usr/lib/modules/$KVER"
	fi
	m=$tmp/x/lib/modules/$KVER
	# The image is /boot/vmlinuz-KVER, or (split packages) in the modules
	# directory as vmlinuz or vmlinuz.unsigned; same for config, System.map.
	for f in "$tmp/x/boot/vmlinuz-$KVER" "$m/vmlinuz.unsigned" "$m/vmlinuz"; do
		[ -f "$f" ] && { mv "$f" "$tmp/vmlinuz"; break; }
	done
	for f in config System.map; do
		if [ -f "$tmp/x/boot/$f-$KVER" ]; then
			mv "$tmp/x/boot/$f-$KVER" "$tmp/$f"
		elif [ -f "$m/$f" ]; then
			cp "$m/$f" "$tmp/$f"
		fi
	done
	if [ ! -f "$tmp/vmlinuz" ] || [ ! -d "$m/kernel" ]; then
		echo "    $IMG_PKGS: no vmlinuz or no /lib/modules/$KVER/kernel"
		return 1
	fi
	if ! dc_chroot "$dir" depmod -b "$ctmp/x" "$KVER" >"$tmp/depmod.log" 2>&1; then
		sed 's/^/    /' "$tmp/depmod.log"
		return 1
	fi
	mv "$tmp/x/lib/modules/$KVER" "$tmp/modules"
	rm -rf "$tmp/x"
	echo "$IMG_PKGS" >"$tmp/packages"
	mkdir -p "$DC_CACHE/kernels"
	mv "$tmp" "$kdir"
	touch "$kdir.stamp"
}

# Drop cached images of the current line other than KVER.
dc_prune_images() {
	local k n
	for k in "$DC_CACHE"/kernels/*; do
		[ -d "$k" ] || continue
		n=${k##*/}
		[ "$n" = "$KVER" ] && continue
		if printf '%s\n' "$n" | grep -qE "^${T_KVER_RE}\$"; then
			rm -f "$k.stamp"
			dc_rmtree "$k"
		fi
	done
}

# ---------------------------------------------------------------- locking

# dc_lock NAME: exclusive lock on the cache entry NAME (fd 9), waiting if
# another run holds it.  dc_unlock releases it.
dc_lock() {
	mkdir -p "$DC_CACHE"
	exec 9>"$DC_CACHE/$1.lock"
	if ! flock -n 9; then
		note "== waiting for another run to release $DC_CACHE/$1.lock"
		flock 9
	fi
}
dc_unlock() { exec 9>&-; }
