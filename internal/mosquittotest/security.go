package mosquittotest

import (
	"crypto/rand"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// security is the listener's part of the configuration: TLS files, and a
// password file instead of anonymous access.
func (b *Broker) security() (string, error) {
	var conf strings.Builder
	if b.opts.CertFile != "" {
		fmt.Fprintf(&conf, "certfile %s\nkeyfile %s\n", b.opts.CertFile, b.opts.KeyFile)
	}
	if len(b.opts.Users) == 0 {
		conf.WriteString("allow_anonymous true\n")
		return conf.String(), nil
	}
	path := filepath.Join(b.dir, "passwords")
	if err := writePasswordFile(path, b.opts.Users); err != nil {
		return "", err
	}
	fmt.Fprintf(&conf, "allow_anonymous false\npassword_file %s\n", path)
	return conf.String(), nil
}

// writePasswordFile writes users in mosquitto's salted SHA-512 format
// (`user:$6$<salt>$<sha512(password salt)>`, both base64), which
// mosquitto_passwd wrote before 2.0 and mosquitto 2.x still reads, so the
// tests need no mosquitto_passwd.
func writePasswordFile(path string, users map[string]string) error {
	names := make([]string, 0, len(users))
	for u := range users {
		names = append(names, u)
	}
	slices.Sort(names)
	var out strings.Builder
	for _, u := range names {
		salt := make([]byte, 12)
		if _, err := rand.Read(salt); err != nil {
			return err
		}
		h := sha512.New()
		h.Write([]byte(users[u]))
		h.Write(salt)
		fmt.Fprintf(&out, "%s:$6$%s$%s\n", u, base64.StdEncoding.EncodeToString(salt), base64.StdEncoding.EncodeToString(h.Sum(nil)))
	}
	if err := os.WriteFile(path, []byte(out.String()), 0o600); err != nil {
		return fmt.Errorf("writing mosquitto password file: %w", err)
	}
	return nil
}
