package dev.devops.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS that trusts the JDK's certificate authorities plus those of a PEM file (a company proxy's CA,
 * or a test server's own certificate). Certificates are still fully verified: this only adds roots
 * of trust.
 */
public final class ExtraTrust {
  private ExtraTrust() {}

  /** A socket factory trusting the JDK's roots and every certificate in {@code pemFile}. */
  public static SSLSocketFactory socketFactory(Path pemFile) throws IOException {
    try {
      Collection<? extends Certificate> extra;
      try (InputStream in = Files.newInputStream(pemFile)) {
        extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (extra.isEmpty()) {
        throw new IOException(pemFile + " holds no certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (Certificate c : extra) {
        store.setCertificateEntry("extra-" + n++, c);
      }
      X509TrustManager jdk = trustManager(null);
      X509TrustManager added = trustManager(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new Either(jdk, added)}, null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the certificates in " + pemFile + ": " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager m : factory.getTrustManagers()) {
      if (m instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  /** Trusts a server chain that either manager trusts. */
  private static final class Either implements X509TrustManager {
    private final X509TrustManager first;
    private final X509TrustManager second;

    Either(X509TrustManager first, X509TrustManager second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      first.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      try {
        first.checkServerTrusted(chain, authType);
      } catch (java.security.cert.CertificateException e) {
        second.checkServerTrusted(chain, authType);
      }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
      all.addAll(List.of(second.getAcceptedIssuers()));
      return all.toArray(new X509Certificate[0]);
    }
  }
}
