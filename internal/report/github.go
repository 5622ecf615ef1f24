package report

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/healthi18n/healthi18n/internal/check"
)

// writeGitHub renders one GitHub Actions workflow command per finding,
//
//	::error file=F,line=L,col=C,title=healthi18n [rule] locale::message
//
// (::warning for warnings, ::notice for notes; line and col only when
// known, and only with a file), then one ::notice per locale with its
// summary. Values are escaped as @actions/core does (command.ts
// escapeData and escapeProperty); before that, other control and format
// characters are made visible (\u202E) so that no translation can smuggle
// bidi controls into an annotation.
func writeGitHub(b output, v *view, opts Options) error {
	for _, f := range v.findings {
		var props []string
		if f.File != "" {
			props = append(props, "file="+escapeProperty(visible(filepath.ToSlash(f.File), false)))
			if f.Line > 0 {
				props = append(props, "line="+strconv.Itoa(f.Line))
				if f.Col > 0 {
					props = append(props, "col="+strconv.Itoa(f.Col))
				}
			}
		}
		title := opts.Tool + " [" + f.Rule + "] " + f.Locale
		props = append(props, "title="+escapeProperty(visible(title, false)))
		writeCommand(b, githubCommand(f.Severity), props, githubMessage(f))
	}
	for _, l := range v.locales {
		title := opts.Tool + " summary [" + l.Locale + "]"
		msg := l.Locale + ": " + verdictWord(l.Pass) + ", " + percentString(l.Counts) + " complete (" +
			strconv.Itoa(l.Translated) + "/" + strconv.Itoa(l.Messages) + " translated, " +
			strconv.Itoa(l.Stale) + " stale, " + strconv.Itoa(l.Missing) + " missing), safety " +
			strconv.Itoa(l.SafetyOK) + "/" + strconv.Itoa(l.Safety) + " ok, " +
			plural(l.Errors, "error") + ", " + plural(l.Warnings, "warning")
		writeCommand(b, "notice", []string{"title=" + escapeProperty(visible(title, false))}, visible(msg, true))
	}
	return nil
}

func writeCommand(b output, cmd string, props []string, msg string) {
	b.WriteString("::" + cmd)
	if len(props) > 0 {
		b.WriteString(" " + strings.Join(props, ","))
	}
	b.WriteString("::" + escapeData(msg) + "\n")
}

func githubCommand(s check.Severity) string {
	switch s {
	case check.Error:
		return "error"
	case check.Note:
		return "notice"
	}
	return "warning"
}

func verdictWord(pass bool) string {
	if pass {
		return "PASS"
	}
	return "FAIL"
}

// githubMessage is the annotation text: the safety mark, the finding, its
// message ID, and the hint on a line of its own.
func githubMessage(f check.Finding) string {
	var s strings.Builder
	if f.Safety {
		s.WriteString("SAFETY: ")
	}
	s.WriteString(f.Message)
	if f.MessageID != "" {
		s.WriteString(" (id: " + f.MessageID + ")")
	}
	if f.Hint != "" {
		s.WriteString("\nhint: " + f.Hint)
	}
	return visible(s.String(), true)
}

// escapeData escapes a command's message as @actions/core does:
// % → %25, \r → %0D, \n → %0A.
func escapeData(s string) string {
	return dataEscaper.Replace(s)
}

// escapeProperty escapes a property value as @actions/core does: as
// escapeData, and also : → %3A and , → %2C.
func escapeProperty(s string) string {
	return propertyEscaper.Replace(s)
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)
