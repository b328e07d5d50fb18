<?xml version="1.0" encoding="utf-8"?>
<!-- Inquest default theme: shows the Atom feed as a readable page in browsers (feed readers
     ignore it). Links and styles are relative to the feed, which sits at the site root. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/atom:feed">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> · Atom feed</title>
        <link rel="stylesheet" href="assets/site.css"/>
      </head>
      <body>
        <main id="main-content" class="wrap">
          <div class="page-head">
            <h1><xsl:value-of select="atom:title"/>: Atom feed</h1>
            <p class="lede">This is a web feed. Copy its address into a feed reader to follow new postmortems. <a href="{atom:link[@rel='alternate']/@href}">Back to the site</a></p>
          </div>
          <ul class="incident-list feed-entries">
            <xsl:for-each select="atom:entry">
              <li>
                <a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
                <span class="meta"> <xsl:value-of select="substring(atom:updated, 1, 10)"/><xsl:if test="atom:category"> · <xsl:value-of select="atom:category/@term"/></xsl:if></span>
                <p><xsl:value-of select="atom:summary"/></p>
              </li>
            </xsl:for-each>
          </ul>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
