"""Logging configs (log4j2, logback): the appenders a logger uses ship logs to an address."""

from __future__ import annotations

from pathlib import PurePath

from socklock.discover.code.interface import CallKind, CallSite
from socklock.discover.code.log_configs import ANALYSER

LOG4J2 = """\
<?xml version="1.0" encoding="UTF-8"?>
<Configuration packages="biz.paluch.logging.gelf.log4j2">
  <Appenders>
    <Console name="console" target="SYSTEM_OUT"/>
    <Gelf name="gelf" host="udp:logstash" port="12201"/>
    <Gelf name="tcpgelf" host="tcp:graylog"/>
    <Socket name="socket" host="${env:LOG_HOST:-collector}" port="5000"/>
    <Syslog name="syslog" host="syslog" port="514" protocol="UDP"/>
    <Gelf name="unused" host="udp:nobody" port="12201"/>
    <Async name="async">
      <AppenderRef ref="gelf"/>
      <AppenderRef ref="tcpgelf"/>
    </Async>
  </Appenders>
  <Loggers>
    <Root level="INFO">
      <AppenderRef ref="async"/>
      <AppenderRef ref="console"/>
    </Root>
    <Logger name="audit">
      <AppenderRef ref="socket"/>
      <AppenderRef ref="syslog"/>
    </Logger>
  </Loggers>
</Configuration>
"""
LOGBACK = """\
<configuration>
  <appender name="stash" class="net.logstash.logback.appender.LogstashTcpSocketAppender">
    <destination>logstash:5000</destination>
  </appender>
  <appender name="gelf" class="de.siegmar.logbackgelf.GelfUdpAppender">
    <graylogHost>graylog</graylogHost>
    <graylogPort>12201</graylogPort>
  </appender>
  <appender name="loki" class="com.github.loki4j.logback.Loki4jAppender">
    <http><url>http://loki:3100/loki/api/v1/push</url></http>
  </appender>
  <root level="INFO">
    <appender-ref ref="stash"/>
    <appender-ref ref="loki"/>
  </root>
</configuration>
"""


def _sites(name: str, text: str) -> set[tuple[int, str | None, str | None, CallKind]]:
    assert ANALYSER.handles(PurePath(name))
    return {
        (r.line, r.target, r.env_var, r.kind)
        for r in ANALYSER.analyse(name, text.encode())
        if isinstance(r, CallSite)
    }


def test_log4j2_appenders_a_logger_uses_directly_or_through_a_wrapper() -> None:
    # GELF is UDP on 12201 unless tcp: says otherwise; the unused appender sends nothing
    assert _sites("src/main/resources/log4j2.xml", LOG4J2) == {
        (5, "udp://logstash:12201", None, CallKind.CONFIG),
        (6, "tcp://graylog:12201", None, CallKind.CONFIG),
        (7, "tcp://${LOG_HOST}:5000", "LOG_HOST", CallKind.ENV_READ),
        (8, "udp://syslog:514", None, CallKind.CONFIG),
    }


def test_logback_appenders_the_root_logger_uses() -> None:
    # the GELF appender is referred to by no logger: no call
    assert _sites("src/main/resources/logback-spring.xml", LOGBACK) == {
        (3, "tcp://logstash:5000", None, CallKind.CONFIG),
        (10, "http://loki:3100/loki/api/v1/push", None, CallKind.CONFIG),
    }


def test_other_xml_and_broken_files_are_not_read() -> None:
    assert not ANALYSER.handles(PurePath("src/main/resources/beans.xml"))
    assert ANALYSER.analyse("log4j2.xml", b"<Configuration><Appenders>") == []
    bomb = b'<!DOCTYPE c [<!ENTITY a "udp:x">]><Configuration><Appenders>'
    bomb += b'<Gelf name="g" host="&a;"/></Appenders><Loggers><Root>'
    bomb += b'<AppenderRef ref="g"/></Root></Loggers></Configuration>'
    assert ANALYSER.analyse("log4j2.xml", bomb) == []


def test_logback_gelf_tcp_appender_sends_over_tcp() -> None:
    """logback-gelf's ``GelfTcpAppender`` sends to its graylogHost over TCP; the UDP one
    (``GelfUdpAppender``) over UDP, both on GELF's 12201 unless a port is given."""
    text = """\
<configuration>
  <appender name="tcp" class="de.siegmar.logbackgelf.GelfTcpAppender">
    <graylogHost>graylog</graylogHost>
  </appender>
  <appender name="udp" class="de.siegmar.logbackgelf.GelfUdpAppender">
    <graylogHost>collector</graylogHost>
    <graylogPort>12202</graylogPort>
  </appender>
  <root level="INFO">
    <appender-ref ref="tcp"/>
    <appender-ref ref="udp"/>
  </root>
</configuration>
"""
    assert _sites("src/main/resources/logback.xml", text) == {
        (3, "tcp://graylog:12201", None, CallKind.CONFIG),
        (6, "udp://collector:12202", None, CallKind.CONFIG),
    }
